"""Command-line handling shared by the experiments: --out, --steps | --seconds, --n, --smoke."""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner  # noqa: E402


def parse(description, default_steps, argv=None):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--out", default=None, help="output folder (default: a new temporary folder)")
    ap.add_argument("--steps", type=int, default=default_steps, help="equal training steps per configuration")
    ap.add_argument("--seconds", type=float, default=0, help="equal wall-clock budget instead of --steps")
    ap.add_argument("--n", type=int, default=1000, help="samples per configuration")
    ap.add_argument("--sampler-steps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--smoke", action="store_true", help="a tiny run (the tests): minutes become seconds")
    a = ap.parse_args(argv)
    a.out = a.out or tempfile.mkdtemp(prefix="scorekit-experiment-")
    if a.smoke:
        a.steps, a.seconds, a.n, a.sampler_steps = 2, 0, 16, 3
    return a


def budget_of(a):
    return runner.Budget(steps=0 if a.seconds else a.steps, seconds=a.seconds, chunk=1 if a.smoke else 50)


def image_evaluation(a):
    """Image metrics and bits/dim at the run's sample count; the smoke run caches its reference in --out."""
    return runner.Evaluation(n=a.n, sampler_steps=a.sampler_steps, seed=a.seed, nll_n=2 if a.smoke else 64,
                             nll_tolerance=1e-2 if a.smoke else 1e-4,
                             image_options={"cache_dir": os.path.join(a.out, "cache")} if a.smoke else {})
