#!/usr/bin/env python3
"""Experiment 2: STF (stable target field) with reference batches of 256 and 1024 against DSM, on the
VE SDE, Fashion-MNIST, one U-Net, an equal wall-clock training budget. Reports fd, kid, precision,
recall (against training seconds) and bits/dim; and, separately, the variance of the training
targets themselves on Fashion-MNIST (the STF paper's quantity), V_STF / V_DSM per noise level.
The full run (docs/results.md):

  PYTHONPATH=build/bindings/python .venv/bin/python bench/experiments/exp2_stf_reference_batch.py --out out/exp2"""
import json
import os

import numpy as np

from common import budget_of, image_evaluation, image_train, image_unet, parse, runner

REFERENCES = (256, 1024)


def configs(smoke, seed=0):
    data = {"name": "fashion-mnist", "split": "train", "flip": True, "limit": 256 if smoke else 0}
    heldout = runner.fashion_mnist_pixels(2 if smoke else 64)
    # DSM's loss sees `minibatch` images per step; STF's sees as many, and averages its target over a
    # reference batch of 256 or 1024 (the whole training batch, which the reference must fit in).
    minibatch = 4 if smoke else 64
    rows = [("dsm", {"name": "dsm"}, minibatch)]
    for reference in REFERENCES:
        ref = 8 if smoke else reference
        rows.append(("stf ref %d" % reference, {"name": "stf", "reference": ref, "minibatch": minibatch}, ref))
    return [runner.Config(name=name, kind="images", heldout=heldout,
                          spec={"data": data, "sde": "ve", "model": image_unet(smoke, seed), "objective": objective,
                                "train": image_train(batch, seed)})
            for name, objective, batch in rows]


def target_variance(images, sigma, references, points, draws, rng):
    """V_STF / V_DSM at one VE noise level, with p0 the empirical distribution of `images` (N, D):
    x_t = x0 + sigma z; the exact posterior over the N images gives the true score's mean m and
    V_DSM = E tr Cov(x0 | x_t) / sigma^4; an STF target draws x1 from that posterior and n - 1
    references uniformly, and its error is |sum_j w_j x_j - m|^2 / sigma^4 (w: self-normalised
    Gaussian weights). Both are averaged over `points` x_t and, for STF, `draws` reference sets.
    Returns (V_STF / V_DSM, sigma^2 V_DSM / D: DSM's target variance per dimension at the sigma^2
    weighting of the loss)."""
    norms = (images ** 2).sum(1)
    dsm, stf = 0.0, 0.0
    for _ in range(points):
        xt = images[rng.integers(len(images))] + sigma * rng.standard_normal(images.shape[1])
        logits = -(norms - 2 * images @ xt) / (2 * sigma ** 2)  # |x_t|^2 is common to all and cancels
        post = np.exp(logits - logits.max())
        post /= post.sum()
        m = post @ images
        dsm += post @ ((images - m) ** 2).sum(1)
        for _ in range(draws):
            idx = np.concatenate([[rng.choice(len(images), p=post)], rng.integers(len(images), size=references - 1)])
            w = np.exp(logits[idx] - logits[idx].max())
            w /= w.sum()
            stf += ((w @ images[idx] - m) ** 2).sum()
    return (stf / draws) / dsm, dsm / (points * sigma ** 2 * images.shape[1])


def target_variance_table(smoke, seed):
    """V_STF / V_DSM on the Fashion-MNIST training split for each reference size and a range of
    sigmas of the VE SDE (sigma_max 50), beside 1/(n-1)."""
    n = 512 if smoke else 60000
    images = runner.fashion_mnist_pixels(n, "train").reshape(n, -1).astype(np.float64) / 127.5 - 1
    rng = np.random.default_rng(seed)
    points, draws = (2, 4) if smoke else (16, 64)
    rows = []
    for sigma in (1.0, 3.0, 5.0, 10.0, 20.0, 50.0):
        measured = {r: target_variance(images, sigma, min(r, n), points, draws, rng) for r in REFERENCES}
        row = {"sigma": sigma, "sigma2 V_DSM / D": measured[REFERENCES[0]][1]}
        for r in REFERENCES:
            row["V_STF/V_DSM ref %d" % r] = measured[r][0]
            row["1/(n-1) ref %d" % r] = 1 / (min(r, n) - 1)
        rows.append(row)
    return rows


def write_variance(out, rows):
    keys = list(rows[0])
    lines = ["", "## V_STF / V_DSM on Fashion-MNIST (training split as p0, VE)", "",
             "| " + " | ".join(keys) + " |", "|---" * len(keys) + "|"]
    lines += ["| " + " | ".join("%.4g" % r[k] for k in keys) + " |" for r in rows]
    with open(os.path.join(out, "table.md"), "a") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    a = parse(__doc__, seconds=300, n=300, sampler_steps=100, evaluations=3, argv=argv)
    variance = target_variance_table(a.smoke, a.seed)
    print(json.dumps(variance))
    rows = runner.run("STF reference batch vs DSM (Fashion-MNIST, VE SDE)", configs(a.smoke, a.seed), budget_of(a),
                      image_evaluation(a), a.out, extra={"target_variance": variance})
    write_variance(a.out, variance)
    return rows


if __name__ == "__main__":
    main()
