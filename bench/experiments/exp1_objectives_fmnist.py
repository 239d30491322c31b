#!/usr/bin/env python3
"""Experiment 1: LCSS vs DSM vs SSM vs FD-SSM on Fashion-MNIST, one U-Net, one VP SDE, an equal
wall-clock training budget. Reports fd, kid, precision, recall, classes covered (against training
seconds) and bits/dim per objective. The full run (docs/results.md):

  PYTHONPATH=build/bindings/python .venv/bin/python bench/experiments/exp1_objectives_fmnist.py --out out/exp1
  ... --objectives '{"name": "lcss", "probe": "sphere"}' '{"name": "lcss", "sigma": 0.5}'   # other settings"""
import json

from common import budget_of, image_evaluation, image_train, image_unet, parse, runner

OBJECTIVES = ["lcss", "dsm", "ssm", "fd_ssm"]


def objective_of(text):
    """A name, or an objective spec as JSON."""
    return json.loads(text) if text.lstrip().startswith("{") else {"name": text}


def label_of(objective):
    extra = ", ".join("%s %s" % (k, v) for k, v in objective.items() if k != "name")
    return objective["name"] + (" (%s)" % extra if extra else "")


def configs(smoke, seed=0, objectives=OBJECTIVES):
    data = {"name": "fashion-mnist", "split": "train", "flip": True, "limit": 256 if smoke else 0}
    heldout = runner.fashion_mnist_pixels(2 if smoke else 64)
    return [runner.Config(name=label_of(o), kind="images", heldout=heldout,
                          spec={"data": data, "sde": "vp", "model": image_unet(smoke, seed), "objective": o,
                                "train": image_train(8 if smoke else 64, seed)})
            for o in map(objective_of, objectives)]


def main(argv=None):
    a = parse(__doc__, seconds=300, n=300, sampler_steps=100, evaluations=3, argv=argv,
              extra=lambda ap: ap.add_argument("--objectives", nargs="+", default=OBJECTIVES,
                                               help="objective names or JSON specs"))
    return runner.run("Objectives on Fashion-MNIST (U-Net, VP SDE)", configs(a.smoke, a.seed, a.objectives),
                      budget_of(a), image_evaluation(a), a.out)


if __name__ == "__main__":
    main()
