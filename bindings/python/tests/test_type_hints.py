"""The type hints (__init__.pyi, py.typed) ship beside the module and describe its whole public API:
every public name, method and parameter (ctest label `python`)."""
import ast
import inspect
import os
import unittest

import scorekit

HERE = os.path.dirname(scorekit.__file__)


def stub_tree():
    with open(os.path.join(HERE, "__init__.pyi"), encoding="utf-8") as f:
        return ast.parse(f.read())


def parameters(fn):
    """Parameter names of a stub function (ast) without self/cls."""
    a = fn.args
    names = [x.arg for x in a.args] + ([a.vararg.arg] if a.vararg else []) + [x.arg for x in a.kwonlyargs]
    names += [a.kwarg.arg] if a.kwarg else []
    return [n for n in names if n not in ("self", "cls")]


class TypeHints(unittest.TestCase):
    def setUp(self):
        tree = stub_tree()
        self.top = {}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                self.top[node.name] = node
            elif isinstance(node, ast.AnnAssign):
                self.top[node.target.id] = node
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    self.top[t.id] = node

    def test_the_package_is_marked_typed(self):
        self.assertTrue(os.path.isfile(os.path.join(HERE, "py.typed")))

    def test_every_public_name_has_a_hint(self):
        public = set(scorekit.__all__) | {n for n in dir(scorekit) if n.startswith(("ERR_", "HAVE_"))} | {"OK"}
        self.assertEqual(sorted(public - set(self.top)), [])

    def test_functions_and_methods_match_their_signatures(self):
        for name in scorekit.__all__:
            obj = getattr(scorekit, name)
            node = self.top[name]
            if inspect.isfunction(obj):
                self.assertEqual(parameters(node), list(inspect.signature(obj).parameters), name)
            elif inspect.isclass(obj) and issubclass(obj, scorekit._Handle):
                methods = {m.name: m for m in node.body if isinstance(m, ast.FunctionDef)}
                for base in ast.walk(self.top["_Handle"]):
                    if isinstance(base, ast.FunctionDef):
                        methods.setdefault(base.name, base)
                for attr, value in vars(obj).items():
                    if attr.startswith("_") and attr != "__init__":
                        continue
                    with self.subTest(cls=name, attr=attr):
                        self.assertIn(attr, methods, "%s.%s has no hint" % (name, attr))
                        fn = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
                        if inspect.isfunction(fn):
                            want = [p for p in inspect.signature(fn).parameters if p not in ("self", "cls")]
                            self.assertEqual(parameters(methods[attr]), want)


if __name__ == "__main__":
    unittest.main()
