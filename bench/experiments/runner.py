"""Experiment runner on the Python binding: trains several configurations under one equal budget
(training steps, or wall-clock seconds of training), evaluates each the same way at evenly spaced
points of that budget, and writes OUT/results.json, OUT/table.md and OUT/plot.png (metric against
training wall-clock, one curve per configuration; the plot needs matplotlib, without it the PNG is
skipped with a note in the table).

An experiment (exp*.py beside this file) builds a list of Config and calls run(). Evaluation:
  images (1, 28, 28): n samples (Euler-Maruyama, fixed steps and seed) judged by
      scorekit.image_metrics (fd, kid, kid_std, precision, recall; docs/metrics.md); at the end,
      bits/dim of held-out test images (PF-ODE, dequantised 8-bit pixels, Hutchinson divergence);
  points (n, d): sliced Wasserstein-2 and MMD of n samples against n held-out data points, the
      relative score error where the experiment gives a true score, and at the end the NLL in
      bits/dim of held-out points (exact divergence up to 32 dimensions, else Hutchinson).
Evaluation time is not counted as training time: the curves' x axis is training seconds only.
Usage: see each experiment's --help; every experiment takes --smoke (a tiny run for the tests)."""
import json
import math
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

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
    # optional: (model) -> relative score error E|s_model - s_true|^2 / E|s_true|^2 (points only)
    score_error: Optional[Callable] = None


@dataclass
class Budget:
    steps: int = 0          # equal training steps, or
    seconds: float = 0.0    # equal wall-clock seconds of training (checked every `chunk` steps)
    chunk: int = 50
    evaluations: int = 1    # evaluation points, evenly spaced over the budget (the last one at its end)

    def marks(self):
        total = self.steps or self.seconds
        return [total * (i + 1) / self.evaluations for i in range(self.evaluations)]

    def spent(self, steps, seconds):
        return steps if self.steps else seconds

    def chunk_toward(self, mark, steps, seconds):
        """Steps to train before the next check: up to `chunk`, fewer near a mark (seconds: at the
        rate so far), so a slow objective does not overshoot the budget by a whole chunk."""
        if self.steps:
            return max(1, min(self.chunk, int(mark) - steps))
        if steps == 0:
            return 1
        return max(1, min(self.chunk, math.ceil((mark - seconds) / (seconds / steps))))


@dataclass
class Evaluation:
    n: int = 1000               # samples drawn per configuration
    sampler_steps: int = 200
    seed: int = 0
    nll_n: int = 64             # held-out points for bits/dim
    hutchinson_probes: int = 1
    nll_tolerance: float = 1e-4
    image_options: dict = field(default_factory=dict)  # passed to scorekit.image_metrics (e.g. cache_dir)


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


def image_quality(images, ev):
    """fd, kid, kid_std, precision, recall and classes covered of images (n, 1, 28, 28) in [-1, 1]."""
    options = dict(seed=ev.seed, kid_subset_size=min(1000, len(images)))
    options.update(ev.image_options)
    m = scorekit.image_metrics(np.clip(np.nan_to_num(images), -2, 2), **options)
    row = {k: m[k] for k in ("fd", "kid", "kid_std", "precision", "recall")}
    row["classes_covered"] = sum(1 for f in m["classes"] if f >= 0.01)
    return row


def image_floor(ev):
    """What a perfect model would score at this n: the first n training images, judged like samples."""
    return image_quality(fashion_mnist_pixels(ev.n, "train") / 127.5 - 1, ev)


def sample_quality(model, config, ev):
    """The sample metrics of one evaluation point (no likelihood)."""
    sampler = scorekit.Sampler({"name": "em", "steps": ev.sampler_steps})
    with sampler:
        x = sampler.run(model, ev.n, seed=ev.seed)
    row = {}
    if config.kind == "images":
        row.update(image_quality(np.asarray(x).reshape(ev.n, 1, 28, 28), ev))
    else:
        ref = np.asarray(config.heldout[: ev.n], dtype=np.float32).reshape(-1, model.dim)
        row["sliced_w2"] = scorekit.sliced_wasserstein(x, ref, dim=model.dim, projections=128, seed=ev.seed)
        row["mmd"] = scorekit.mmd(x, ref, dim=model.dim)
        if config.score_error is not None:
            row["score_error"] = config.score_error(model)
    return row


def train_and_evaluate(config, budget, ev, log):
    """Trains one configuration, evaluating at budget.marks(); returns (final row, curve)."""
    trainer = scorekit.Trainer(config.spec, data=config.data)
    curve, trained_s, loss = [], 0.0, float("nan")
    marks = budget.marks()
    with trainer:
        for i, mark in enumerate(marks):
            while budget.spent(trainer.step_count, trained_s) < mark:
                todo = budget.chunk_toward(mark, trainer.step_count, trained_s)
                t0 = time.monotonic()
                loss = trainer.train(todo)
                trained_s += time.monotonic() - t0
            with trainer.model() as model:
                point = {"steps": trainer.step_count, "train_s": trained_s, "loss": loss}
                point.update(sample_quality(model, config, ev))
                if i == len(marks) - 1 and config.heldout is not None and ev.nll_n > 0:
                    point["bits_per_dim"] = bits_per_dim(model, config.heldout[: ev.nll_n], config.kind, ev)
            curve.append(point)
            log("%s: %s" % (config.name, json.dumps(point)))
    return dict(name=config.name, **curve[-1]), curve


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


PLOTTED = ["fd", "kid", "precision", "recall", "sliced_w2", "mmd", "score_error"]


def write_plot(path, title, rows, curves):
    """Each metric against training seconds, one curve per configuration. False without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    keys = [k for k in PLOTTED if k in rows[0]]
    fig, axes = plt.subplots(1, len(keys), figsize=(3.4 * len(keys), 3.2), squeeze=False)
    for ax, k in zip(axes[0], keys):
        for r in rows:
            pts = curves[r["name"]]
            ax.plot([p["train_s"] for p in pts], [p[k] for p in pts], marker="o", ms=3, label=r["name"])
        ax.set_xlabel("training seconds", fontsize=8)
        ax.set_title(k, fontsize=9)
        if k in ("fd", "kid", "mmd", "score_error", "sliced_w2"):
            ax.set_yscale("log")
        ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=6)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def run(title, configs, budget, ev, out_dir, log=print, extra=None):
    """Trains and evaluates every configuration; writes results.json, table.md, plot.png; returns the
    final rows. extra: optional further results (a dict) stored in results.json as they are."""
    if np is None:
        raise RuntimeError("the experiment runner needs NumPy")
    os.makedirs(out_dir, exist_ok=True)
    rows, curves = [], {}
    for c in configs:
        row, curves[c.name] = train_and_evaluate(c, budget, ev, log)
        rows.append(row)
    floor = image_floor(ev) if configs[0].kind == "images" else None
    if floor:
        extra = dict(extra or {}, floor=floor)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"title": title, "budget": budget.__dict__, "evaluation": ev.__dict__, "rows": rows,
                   "curves": curves, "extra": extra or {}}, f, indent=1)
    plotted = write_plot(os.path.join(out_dir, "plot.png"), title, rows, curves)
    budget_text = "%d steps" % budget.steps if budget.steps else "%g s of training" % budget.seconds
    note = ("Budget: %s per configuration, evaluated at %d evenly spaced points (the table: the last); "
            "%d samples (EM, %d steps, seed %d)." % (budget_text, budget.evaluations, ev.n, ev.sampler_steps, ev.seed))
    if floor:
        note += " Floor (%d training images judged the same way): %s." % (ev.n, json.dumps(floor))
    if not plotted:
        note += " (plot.png skipped: matplotlib is not installed; scripts/bootstrap.sh installs it.)"
    write_table(os.path.join(out_dir, "table.md"), title, rows, note)
    return rows


def fashion_mnist_pixels(n, split="t10k", path="/usr/share/datasets/fashion-mnist"):
    """The first n images of a split ("t10k" or "train") as 8-bit pixel values (n, 1, 28, 28) float32."""
    import gzip
    with gzip.open(os.path.join(path, "%s-images-idx3-ubyte.gz" % split)) as f:
        raw = np.frombuffer(f.read(16 + 784 * n)[16:], dtype=np.uint8)
    return raw.astype(np.float32).reshape(n, 1, 28, 28)
