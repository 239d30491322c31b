#!/usr/bin/env python3
"""Experiment 1: LCSS vs DSM vs SSM vs FD-SSM on Fashion-MNIST, one U-Net, one VP SDE, equal
budget. Reports fd, kid, precision, recall, classes covered and bits/dim per objective.

  .venv/bin/python bench/experiments/exp1_objectives_fmnist.py --steps 3000 --out out/exp1   # not run here
  ... --seconds 1800        # an equal wall-clock budget instead (LCSS is forwards-only: more steps)"""

from common import budget_of, image_evaluation, parse, runner

OBJECTIVES = ["lcss", "dsm", "ssm", "fd_ssm"]


def configs(smoke, seed=0):
    unet = {"name": "unet", "channels": 8 if smoke else 32, "channel_mult": [1, 2] if smoke else [1, 2, 2],
            "num_res_blocks": 1, "attention_resolutions": [] if smoke else [7], "seed": seed}
    data = {"name": "fashion-mnist", "split": "train", "flip": True, "limit": 256 if smoke else 0}
    heldout = runner.fashion_mnist_test_pixels(2 if smoke else 256)
    return [runner.Config(name=o, kind="images", heldout=heldout,
                          spec={"data": data, "sde": "vp", "model": unet, "objective": o,
                                "train": {"batch": 8 if smoke else 64, "lr": 2e-4, "seed": seed}})
            for o in OBJECTIVES]


def main(argv=None):
    a = parse(__doc__, 3000, argv)
    ev = image_evaluation(a)
    return runner.run("Objectives on Fashion-MNIST (U-Net, VP SDE)", configs(a.smoke, a.seed), budget_of(a), ev, a.out)


if __name__ == "__main__":
    main()
