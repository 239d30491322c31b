"""Smoke runs of the three experiments (ctest `python_experiments_smoke`): two training steps per
configuration, 16 samples, tiny models; each must write its table (and its plot where matplotlib is
installed) with one row per configuration and finite metrics."""
import json
import math
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import exp1_objectives_fmnist  # noqa: E402
import exp2_stf_reference_batch  # noqa: E402
import exp3_nonlinear_dims  # noqa: E402


def out_dir(name):
    base = os.environ.get("SCOREKIT_TEST_DIR") or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix="exp-%s-" % name, dir=base)


class Smoke(unittest.TestCase):
    def check(self, module, rows, keys):
        out = self.out
        self.assertEqual(len(rows), len(module.configs(True)))
        with open(os.path.join(out, "results.json")) as f:
            results = json.load(f)
        curves = results["curves"]
        for r in rows:
            self.assertEqual(r["steps"], 2)
            self.assertEqual(len(curves[r["name"]]), 2)
            for k in keys:
                self.assertTrue(math.isfinite(r[k]), "%s %s = %r" % (r["name"], k, r[k]))
        with open(os.path.join(out, "table.md")) as f:
            table = f.read()
        for r in rows:
            self.assertIn("| %s |" % r["name"], table)
        self.assertEqual(results["rows"], rows)
        try:
            import matplotlib  # noqa: F401
            self.assertGreater(os.path.getsize(os.path.join(out, "plot.png")), 1000)
        except ImportError:
            self.assertIn("matplotlib is not installed", table)

    def test_exp1_objectives(self):
        self.out = out_dir("1")
        rows = exp1_objectives_fmnist.main(["--smoke", "--out", self.out])
        self.check(exp1_objectives_fmnist, rows, ["fd", "kid", "precision", "recall", "bits_per_dim"])

    def test_exp2_stf(self):
        self.out = out_dir("2")
        rows = exp2_stf_reference_batch.main(["--smoke", "--out", self.out])
        self.check(exp2_stf_reference_batch, rows, ["fd", "kid", "precision", "recall", "bits_per_dim"])

    def test_exp3_nonlinear(self):
        self.out = out_dir("3")
        rows = exp3_nonlinear_dims.main(["--smoke", "--out", self.out])
        self.check(exp3_nonlinear_dims, rows, ["sliced_w2", "mmd", "score_error", "bits_per_dim"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
