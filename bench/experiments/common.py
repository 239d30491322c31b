"""Command-line handling shared by the experiments: --out, --seconds | --steps, --evaluations, --n,
--sampler-steps, --seed, --smoke. Each experiment's defaults are its documented full run."""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner  # noqa: E402


def parse(description, seconds, n, sampler_steps, evaluations, argv=None, extra=None):
    """extra: optional (ArgumentParser) -> None adding an experiment's own options."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    if extra:
        extra(ap)
    ap.add_argument("--out", default=None, help="output folder (default: a new temporary folder)")
    ap.add_argument("--seconds", type=float, default=seconds, help="equal wall-clock training budget per configuration")
    ap.add_argument("--steps", type=int, default=0, help="equal training steps instead of --seconds")
    ap.add_argument("--evaluations", type=int, default=evaluations, help="evaluation points over the budget")
    ap.add_argument("--n", type=int, default=n, help="samples per evaluation")
    ap.add_argument("--sampler-steps", type=int, default=sampler_steps)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--smoke", action="store_true", help="a tiny run (the tests): minutes become seconds")
    a = ap.parse_args(argv)
    a.out = a.out or tempfile.mkdtemp(prefix="scorekit-experiment-")
    if a.smoke:
        a.steps, a.seconds, a.evaluations, a.n, a.sampler_steps = 2, 0, 2, 16, 3
    return a


def budget_of(a, chunk=10):
    return runner.Budget(steps=a.steps, seconds=0 if a.steps else a.seconds, chunk=1 if a.smoke else chunk,
                         evaluations=a.evaluations)


def image_evaluation(a):
    """Image metrics and bits/dim at the run's sample count; the smoke run caches its reference in --out."""
    return runner.Evaluation(n=a.n, sampler_steps=a.sampler_steps, seed=a.seed, nll_n=2 if a.smoke else 64,
                             nll_tolerance=1e-2 if a.smoke else 1e-4,
                             image_options={"cache_dir": os.path.join(a.out, "cache")} if a.smoke else {})


def image_unet(smoke, seed):
    """The experiments' U-Net: 16 channels, two resolutions (28, 14), no attention — sized so a
    configuration trains for hundreds of steps in a few CPU minutes."""
    return {"name": "unet", "channels": 8 if smoke else 16, "channel_mult": [1, 2], "num_res_blocks": 1,
            "attention_resolutions": [], "seed": seed}


def image_train(batch, seed):
    """Short-run training settings shared by the image experiments: a higher lr than a long run
    would use, and k-diffusion's warm-up EMA (a constant 0.999 would still be mostly the
    initial weights after a few hundred steps)."""
    return {"batch": batch, "lr": 1e-3, "warmup": 50, "ema_schedule": "warmup", "seed": seed}
