#!/usr/bin/env python3
"""Experiment 2: STF (stable target field) with reference batches of 256 and 1024 against DSM, on the
VE SDE, Fashion-MNIST, one U-Net, equal budget. Reports fd, kid, precision, recall and bits/dim.

  .venv/bin/python bench/experiments/exp2_stf_reference_batch.py --steps 3000 --out out/exp2   # not run here"""

from common import budget_of, image_evaluation, parse, runner


def configs(smoke, seed=0):
    unet = {"name": "unet", "channels": 8 if smoke else 32, "channel_mult": [1, 2] if smoke else [1, 2, 2],
            "num_res_blocks": 1, "attention_resolutions": [] if smoke else [7], "seed": seed}
    data = {"name": "fashion-mnist", "split": "train", "flip": True, "limit": 256 if smoke else 0}
    heldout = runner.fashion_mnist_test_pixels(2 if smoke else 256)
    # DSM's loss sees `minibatch` images per step; STF's sees as many, and averages its target over a
    # reference batch of 256 or 1024 (the whole training batch, which the reference must fit in).
    minibatch = 4 if smoke else 64
    rows = [("dsm", {"name": "dsm"}, minibatch)]
    for reference in (256, 1024):
        ref = 8 if smoke else reference
        rows.append(("stf ref %d" % reference, {"name": "stf", "reference": ref, "minibatch": minibatch}, ref))
    return [runner.Config(name=name, kind="images", heldout=heldout,
                          spec={"data": data, "sde": "ve", "model": unet, "objective": objective,
                                "train": {"batch": batch, "lr": 2e-4, "seed": seed}})
            for name, objective, batch in rows]


def main(argv=None):
    a = parse(__doc__, 3000, argv)
    ev = image_evaluation(a)
    return runner.run("STF reference batch vs DSM (Fashion-MNIST, VE SDE)", configs(a.smoke, a.seed), budget_of(a), ev, a.out)


if __name__ == "__main__":
    main()
