#!/usr/bin/env python3
"""Experiment 3: local DSM vs ISM (Hutchinson) on a nonlinear SDE toward a non-Gaussian prior
(langevin_mog: Langevin dynamics toward a two-component Gaussian mixture on every coordinate), in
2, 16 and 64 dimensions, an equal wall-clock training budget. Data: a Gaussian mixture of 4
components with random means (seeded), std 0.3. Reports, against training seconds, sliced W2 and
MMD of samples against held-out data and the relative score error at t = 0.01; at the end, the NLL
of held-out points in bits/dim. The full run (docs/results.md):

  PYTHONPATH=build/bindings/python .venv/bin/python bench/experiments/exp3_nonlinear_dims.py --out out/exp3"""
import json
import os

import numpy as np

import scorekit
from common import budget_of, parse, runner

DIMS = [2, 16, 64]
OBJECTIVES = ["local_dsm", "ism_hutchinson"]
STD = 0.3            # the data components' standard deviation
SCORE_T = 0.01       # where the score error is measured


def mixture_means(d, seed):
    return np.random.default_rng(seed).uniform(-2, 2, size=(4, d))


def mixture_samples(means, n, seed):
    rng = np.random.default_rng(seed)
    k = rng.integers(0, len(means), size=n)
    return (means[k] + STD * rng.standard_normal((n, means.shape[1]))).astype(np.float32)


def noise_variance(t, beta_min=0.1, beta_max=20.0):
    """B(t) = int_0^t beta: the variance langevin_mog's noise adds by time t."""
    return beta_min * t + 0.5 * (beta_max - beta_min) * t * t


def mixture_score(x, means, var):
    """grad log of the equal-weight mixture of N(mean_k, var I) at x (n, d), in float64."""
    diff = means[None, :, :] - x[:, None, :]                        # (n, k, d)
    logw = -(diff ** 2).sum(2) / (2 * var)
    w = np.exp(logw - logw.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    return (w[:, :, None] * diff).sum(1) / var


def score_error(means, points, seed):
    """The model's relative score error E|s - s_true|^2 / E|s_true|^2 at t = SCORE_T. There p_t is the
    data mixture with its variance grown by B(t) = 0.002 (against 0.09), up to the drift's shift of
    about B(t)/2 * |grad log prior| < 0.01, small beside the components' std 0.3."""
    var = STD ** 2 + noise_variance(SCORE_T)
    rng = np.random.default_rng(seed)
    x = points + np.sqrt(noise_variance(SCORE_T)) * rng.standard_normal(points.shape)
    truth = mixture_score(x, means, var)

    def measure(model):
        s = np.asarray(model.score(x.astype(np.float32), SCORE_T), dtype=np.float64).reshape(x.shape)
        return float(((s - truth) ** 2).sum() / (truth ** 2).sum())
    return measure


def floors(n, nll_n, seed=0, dims=DIMS):
    """What a perfect model would score, per d: sliced W2 and MMD of a second held-out draw against
    the held-out set (finite-sample floor), and the data's own NLL in bits/dim on the held-out points."""
    out = {}
    for d in dims:
        means = mixture_means(d, seed)
        heldout = mixture_samples(means, n, seed + 1)
        other = mixture_samples(means, n, seed + 3)
        var = STD ** 2
        x = heldout.astype(np.float64)
        sq = ((x[:, None, :] - means[None]) ** 2).sum(2)
        log_p = np.logaddexp.reduce(-sq / (2 * var), axis=1) - np.log(len(means)) - 0.5 * d * np.log(2 * np.pi * var)
        out["d=%d" % d] = {"sliced_w2": scorekit.sliced_wasserstein(other, heldout, dim=d, projections=128, seed=seed),
                           "mmd": scorekit.mmd(other, heldout, dim=d),
                           "bits_per_dim": float(-log_p[:nll_n].mean() / (d * np.log(2)))}
    return out


def configs(smoke, seed=0, dims=DIMS):
    out = []
    for d in dims:
        means = mixture_means(d, seed)
        x = mixture_samples(means, 512 if smoke else 20000, seed)
        heldout = mixture_samples(means, 64 if smoke else 2000, seed + 1)
        for o in OBJECTIVES:
            spec = {"sde": "langevin_mog",
                    "model": {"name": "mlp", "hidden": 16 if smoke else 256, "depth": 1 if smoke else 3, "seed": seed},
                    "objective": o,
                    "train": {"batch": 16 if smoke else 512, "lr": 1e-3, "ema_schedule": "warmup", "seed": seed}}
            out.append(runner.Config(name="%s d=%d" % (o, d), spec=spec, data=scorekit.Dataset.from_array(x),
                                     heldout=heldout, score_error=score_error(means, heldout, seed + 2)))
    return out


def main(argv=None):
    a = parse(__doc__, seconds=120, n=2000, sampler_steps=200, evaluations=4, argv=argv,
              extra=lambda ap: ap.add_argument("--dims", type=int, nargs="+", default=DIMS, help="dimensions to run"))
    ev = runner.Evaluation(n=a.n, sampler_steps=a.sampler_steps, seed=a.seed, nll_n=4 if a.smoke else 256,
                           nll_tolerance=1e-2 if a.smoke else 1e-5)
    floor = floors(64 if a.smoke else a.n, ev.nll_n, a.seed, a.dims)
    rows = runner.run("Local DSM vs ISM-Hutchinson on langevin_mog", configs(a.smoke, a.seed, a.dims), budget_of(a, chunk=50),
                      ev, a.out, extra={"floors": floor})
    with open(os.path.join(a.out, "table.md"), "a") as f:
        f.write("\nFloors (a second held-out draw against the held-out set; the data's own density): %s\n"
                % json.dumps(floor))
    return rows


if __name__ == "__main__":
    main()
