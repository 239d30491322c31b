"""`import torch` and `import scorekit` in one process, in either order: both use the one LibTorch of
the project's torch wheel (ctest label `python`; skipped where the interpreter has no torch)."""
import os
import subprocess
import sys
import unittest

try:
    import importlib.util
    HAVE_TORCH = importlib.util.find_spec("torch") is not None
except Exception:  # noqa: BLE001 - any failure to look means no torch
    HAVE_TORCH = False

# Run in a fresh interpreter so the import order is the one under test.
PROGRAM = """
import json, sys
first, second = sys.argv[1:3]
mods = {}
for name in (first, second):
    mods[name] = __import__(name)
torch, scorekit = mods["torch"], mods["scorekit"]
x = torch.randn(4, 2, dtype=torch.float64)
with scorekit.Trainer({"data": "moons", "model": {"name": "mlp", "hidden": 16, "depth": 1},
                       "train": {"batch": 32, "seed": 1}}) as tr:
    loss = tr.train(3)
    with tr.model() as m:
        s = m.score(x.tolist(), 0.5)
libs = sorted({line.split()[-1] for line in open("/proc/self/maps")
               if "libtorch_cpu.so" in line or "libc10.so" in line})
info = json.loads(scorekit.build_info())
print(json.dumps({"loss": loss, "libs": libs, "torch": torch.__version__, "info_torch": info["torch"],
                  "info_cuda": info["cuda"], "torch_cuda": torch.version.cuda, "sum": float(x.sum())}))
"""


@unittest.skipUnless(HAVE_TORCH, "skipped: this Python has no torch (the project's .venv has it)")
class TorchInTheSameProcess(unittest.TestCase):
    def run_order(self, first, second):
        out = subprocess.run([sys.executable, "-c", PROGRAM, first, second], capture_output=True, text=True,
                             env=os.environ.copy(), timeout=300)
        self.assertEqual(out.returncode, 0, out.stderr[-3000:])
        import json
        return json.loads(out.stdout.strip().splitlines()[-1])

    def check(self, r):
        import math
        self.assertTrue(math.isfinite(r["loss"]))
        # One LibTorch: each library mapped from exactly one file, the wheel's.
        self.assertEqual(len(r["libs"]), 2, r["libs"])
        self.assertTrue(all("site-packages/torch/lib" in p for p in r["libs"]), r["libs"])
        self.assertEqual(r["info_torch"], r["torch"].split("+")[0])
        self.assertEqual(r["info_cuda"], r["torch_cuda"])

    def test_torch_then_scorekit(self):
        self.check(self.run_order("torch", "scorekit"))

    def test_scorekit_then_torch(self):
        self.check(self.run_order("scorekit", "torch"))


if __name__ == "__main__":
    unittest.main()
