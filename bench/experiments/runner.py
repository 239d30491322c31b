"""Experiment runner on the Python binding: trains several configurations under one equal budget
(training steps, or wall-clock seconds), evaluates each the same way, and writes
OUT/results.json, OUT/table.md and OUT/plot.png (the plot needs matplotlib; without it the PNG
is skipped with a note in the table).

An experiment (exp*.py beside this file) builds a list of Config and calls run(). Evaluation:
  images (1, 28, 28): n samples (Euler-Maruyama, fixed steps and seed) judged by
      scorekit.image_metrics (fd, kid, kid_std, precision, recall; docs/metrics.md), and bits/dim of
      held-out test images (PF-ODE, dequantised 8-bit pixels, Hutchinson divergence);
  points (n, d): sliced Wasserstein-2 and MMD of n samples against n held-out data points, and the
      NLL in bits/dim of held-out points (exact divergence up to 32 dimensions, else Hutchinson).
Usage: see each experiment's --help; every experiment takes --smoke (a tiny run for the tests)."""
import json
import math
import os
import time
from dataclasses import dataclass, field

import scorekit

try:
    import numpy as np
except ImportError:  # the runner needs NumPy
    np = None


@dataclass
class Config:
    name: str               # the row's label
    spec: dict              # a full training spec (data, sde, model, objective, train)
    kind: str = "points"    # "points" or "images"
    data: object = None     # optional: a scorekit.Dataset to train on (else spec["data"])
    heldout: object = None  # optional: held-out data (n, ...) float32; images: 8-bit pixels (n, 1, 28, 28)


@dataclass
class Budget:
    steps: int = 0          # equal training steps, or
    seconds: float = 0.0    # equal wall-clock seconds (checked every `chunk` steps)
    chunk: int = 50


@dataclass
class Evaluation:
    n: int = 1000               # samples drawn per configuration
    sampler_steps: int = 200
    seed: int = 0
    nll_n: int = 64             # held-out points for bits/dim
    hutchinson_probes: int = 1
    nll_tolerance: float = 1e-4
    image_options: dict = field(default_factory=dict)  # passed to scorekit.image_metrics (e.g. cache_dir)


def train(config, budget):
    """Trains one configuration; returns (model, steps, seconds, last loss)."""
    t0 = time.monotonic()
    trainer = scorekit.Trainer(config.spec, data=config.data) if config.data is not None else scorekit.Trainer(config.spec)
    with trainer:
        loss = float("nan")
        while True:
            done = trainer.step_count
            if budget.steps and done >= budget.steps:
                break
            if budget.seconds and time.monotonic() - t0 >= budget.seconds:
                break
            todo = budget.chunk if not budget.steps else min(budget.chunk, budget.steps - done)
            loss = trainer.train(todo)
        return trainer.model(), trainer.step_count, time.monotonic() - t0, loss


def bits_per_dim(model, x, kind, ev):
    d = model.dim
    options = {"rtol": ev.nll_tolerance, "atol": ev.nll_tolerance}
    if kind == "images":
        options.update(dequantize=True, divergence="hutchinson", probes=ev.hutchinson_probes)
    elif d > 32:
        options.update(divergence="hutchinson", probes=ev.hutchinson_probes)
    else:
        options.update(divergence="exact")
    return model.nll(np.ascontiguousarray(x, dtype=np.float32).reshape(len(x), -1), options)[1]


def evaluate(model, config, ev):
    sampler = scorekit.Sampler({"name": "em", "steps": ev.sampler_steps})
    with sampler:
        x = sampler.run(model, ev.n, seed=ev.seed)
    row = {}
    if config.kind == "images":
        options = dict(seed=ev.seed, kid_subset_size=min(1000, ev.n))
        options.update(ev.image_options)
        m = scorekit.image_metrics(np.clip(np.nan_to_num(x), -2, 2).reshape(ev.n, 1, 28, 28), **options)
        row.update({k: m[k] for k in ("fd", "kid", "kid_std", "precision", "recall")})
        row["classes_covered"] = sum(1 for f in m["classes"] if f >= 0.01)
    else:
        ref = np.asarray(config.heldout[: ev.n], dtype=np.float32).reshape(-1, model.dim)
        row["sliced_w2"] = scorekit.sliced_wasserstein(x, ref, dim=model.dim, projections=128, seed=ev.seed)
        row["mmd"] = scorekit.mmd(x, ref, dim=model.dim)
    if config.heldout is not None and ev.nll_n > 0:
        row["bits_per_dim"] = bits_per_dim(model, config.heldout[: ev.nll_n], config.kind, ev)
    return row


def write_table(path, title, rows, note=""):
    keys = [k for k in rows[0] if k != "name"]
    lines = ["# " + title, "", "| configuration | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for r in rows:
        cells = []
        for k in keys:
            v = r.get(k)
            cells.append("%.4g" % v if isinstance(v, float) else str(v))
        lines.append("| %s | %s |" % (r["name"], " | ".join(cells)))
    if note:
        lines += ["", note]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_plot(path, title, rows):
    """One bar chart per numeric column. Returns False when matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    keys = [k for k in rows[0] if k != "name" and isinstance(rows[0][k], (int, float))]
    fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys), 3.4), squeeze=False)
    names = [r["name"] for r in rows]
    for ax, k in zip(axes[0], keys):
        ax.bar(range(len(rows)), [r.get(k, math.nan) for r in rows], color="tab:blue")
        ax.set_xticks(range(len(rows)))
        ax.set_xticklabels(names, rotation=45, ha="right", fontsize=7)
        ax.set_title(k, fontsize=9)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def run(title, configs, budget, ev, out_dir, log=print):
    """Trains and evaluates every configuration; writes results.json, table.md, plot.png; returns the rows."""
    if np is None:
        raise RuntimeError("the experiment runner needs NumPy")
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for c in configs:
        model, steps, seconds, loss = train(c, budget)
        with model:
            row = {"name": c.name, "steps": steps, "train_s": seconds, "loss": loss}
            row.update(evaluate(model, c, ev))
        rows.append(row)
        log("%s: %s" % (c.name, json.dumps(row)))
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"title": title, "budget": budget.__dict__, "evaluation": ev.__dict__, "rows": rows}, f, indent=1)
    plotted = write_plot(os.path.join(out_dir, "plot.png"), title, rows)
    budget_text = "%d steps" % budget.steps if budget.steps else "%g s of training" % budget.seconds
    note = "Budget: %s per configuration; %d samples (EM, %d steps, seed %d)." % (budget_text, ev.n, ev.sampler_steps, ev.seed)
    if not plotted:
        note += " (plot.png skipped: matplotlib is not installed; scripts/bootstrap.sh installs it.)"
    write_table(os.path.join(out_dir, "table.md"), title, rows, note)
    return rows


def fashion_mnist_test_pixels(n, path="/usr/share/datasets/fashion-mnist"):
    """The first n test images as 8-bit pixel values (n, 1, 28, 28) float32 (for bits/dim)."""
    import gzip
    with gzip.open(os.path.join(path, "t10k-images-idx3-ubyte.gz")) as f:
        raw = np.frombuffer(f.read(16 + 784 * n)[16:], dtype=np.uint8)
    return raw.astype(np.float32).reshape(n, 1, 28, 28)
