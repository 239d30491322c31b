#!/usr/bin/env python3
"""Experiment 1: LCSS vs DSM vs SSM vs FD-SSM on Fashion-MNIST, one U-Net, one VP SDE, an equal
wall-clock training budget. Reports fd, kid, precision, recall, classes covered (against training
seconds) and bits/dim per objective. The full run (docs/results.md):

  PYTHONPATH=build/bindings/python .venv/bin/python bench/experiments/exp1_objectives_fmnist.py --out out/exp1"""

from common import budget_of, image_evaluation, image_train, image_unet, parse, runner

OBJECTIVES = ["lcss", "dsm", "ssm", "fd_ssm"]


def configs(smoke, seed=0):
    data = {"name": "fashion-mnist", "split": "train", "flip": True, "limit": 256 if smoke else 0}
    heldout = runner.fashion_mnist_pixels(2 if smoke else 64)
    return [runner.Config(name=o, kind="images", heldout=heldout,
                          spec={"data": data, "sde": "vp", "model": image_unet(smoke, seed), "objective": o,
                                "train": image_train(8 if smoke else 64, seed)})
            for o in OBJECTIVES]


def main(argv=None):
    a = parse(__doc__, seconds=300, n=300, sampler_steps=100, evaluations=3, argv=argv)
    return runner.run("Objectives on Fashion-MNIST (U-Net, VP SDE)", configs(a.smoke, a.seed), budget_of(a),
                      image_evaluation(a), a.out)


if __name__ == "__main__":
    main()
