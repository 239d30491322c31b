#!/usr/bin/env python3
"""Why experiment 3's samples diverge in 64 dimensions: trains one configuration for a while, then
measures the score at t = 1 against the prior's own score (p_1 is the prior to within e^-10 under
langevin_mog) and at t = 0.01 against the data's, and how far Euler-Maruyama samples travel with 200
and 1000 steps. Evidence in docs/results.md:

  PYTHONPATH=build/bindings/python .venv/bin/python bench/experiments/exp3_diagnose.py --dim 64 --seconds 90"""
import argparse
import time

import numpy as np

import scorekit
from exp3_nonlinear_dims import configs

PRIOR_MEAN, PRIOR_VAR = 1.0, 0.36  # langevin_mog's default prior: ½N(−1, 0.6²) + ½N(1, 0.6²) per coordinate


def prior_score(x):
    a, b = -(x + PRIOR_MEAN) ** 2 / (2 * PRIOR_VAR), -(x - PRIOR_MEAN) ** 2 / (2 * PRIOR_VAR)
    w = 1 / (1 + np.exp(a - b))  # the weight of the +1 component
    return (w * (PRIOR_MEAN - x) + (1 - w) * (-PRIOR_MEAN - x)) / PRIOR_VAR


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--objective", default="local_dsm")
    a = ap.parse_args()
    c = [c for c in configs(False, 0, [a.dim]) if c.spec["objective"] == a.objective][0]
    with scorekit.Trainer(c.spec, data=c.data) as trainer:
        t0 = time.monotonic()
        while time.monotonic() - t0 < a.seconds:
            trainer.train(50)
        model = trainer.model()
        steps = trainer.step_count
    rng = np.random.default_rng(5)
    x1 = np.where(rng.random((2000, a.dim)) < 0.5, -PRIOR_MEAN, PRIOR_MEAN) + np.sqrt(PRIOR_VAR) * rng.standard_normal((2000, a.dim))
    s = np.asarray(model.score(x1.astype(np.float32), 1.0), dtype=np.float64).reshape(x1.shape)
    truth = prior_score(x1)
    print("%s d=%d, %d steps: relative score error at t=1 (vs the prior's score) %.3f, at t=0.01 (vs the data's) %.3f"
          % (a.objective, a.dim, steps, ((s - truth) ** 2).sum() / (truth ** 2).sum(), c.score_error(model)))
    for n_steps in (200, 1000):
        with scorekit.Sampler({"name": "em", "steps": n_steps}) as sampler:
            x = np.asarray(sampler.run(model, 2000, seed=0)).reshape(2000, a.dim)
        far = np.abs(x).max(1)
        print("EM %d steps: %.1f%% of samples leave |x|_inf <= 10, median max|x_i| %.3g"
              % (n_steps, 100 * (far > 10).mean(), np.median(far)))


if __name__ == "__main__":
    main()
