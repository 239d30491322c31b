#!/usr/bin/env python3
"""The figures of docs/metrics.md: `scorekit evaluate --samples` on altered Fashion-MNIST images
against the test split (the shipped classifier, cached reference features).

  .venv/bin/python scripts/image_metrics_figures.py [--scorekit build/scorekit] [--n 5000] [--out DIR]

Rows: training images (the floor), the same with Gaussian noise (σ = 0.1, 0.2, 0.4) and with a 3×3
box blur applied 1, 2 and 3 times, and training images without one class (trousers). Prints a
markdown table; each row's command is `scorekit evaluate --samples FILE --data fashion-mnist --seed 0`."""
import argparse
import gzip
import json
import os
import subprocess
import tempfile

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"


def read(split, kind):
    name = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(DATA, "%s-%s-idx%d-ubyte.gz" % (name, kind, 3 if kind == "images" else 1))) as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8)
    if kind == "images":
        return (raw[16:].astype(np.float32) / 127.5 - 1).reshape(-1, 1, 28, 28)
    return raw[8:].astype(np.int64)


def box_blur(x):
    p = np.pad(x + 1, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = sum(p[:, :, i:i + 28, j:j + 28] for i in range(3) for j in range(3)) / 9
    return (out - 1).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scorekit", default="build/scorekit")
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out = a.out or tempfile.mkdtemp(prefix="image-metrics-")
    os.makedirs(out, exist_ok=True)
    x, y = read("train", "images"), read("train", "labels")
    rng = np.random.default_rng(0)
    base = x[: a.n]
    rows = [("train split (floor)", base)]
    noise = rng.standard_normal(base.shape).astype(np.float32)
    for s in (0.1, 0.2, 0.4):
        rows.append(("noise σ = %g" % s, np.clip(base + s * noise, -1, 1)))
    b = base
    for k in (1, 2, 3):
        b = box_blur(b)
        rows.append(("3×3 box blur ×%d" % k, b))
    rows.append(("train split without trousers", x[y != 1][: a.n]))
    print("| images (n = %d) | fd | kid (± std) | precision | recall | trousers predicted |" % a.n)
    print("|---|---|---|---|---|---|")
    for name, imgs in rows:
        path = os.path.join(out, "x.npy")
        np.save(path, np.ascontiguousarray(imgs, dtype=np.float32))
        r = subprocess.run([a.scorekit, "evaluate", "--samples", path, "--data", "fashion-mnist", "--seed", "0"],
                           capture_output=True, text=True)
        j = json.loads(r.stdout.strip().splitlines()[-1])
        if "error" in j:
            raise SystemExit(j["error"])
        print("| %s | %.3f | %.5f ± %.5f | %.3f | %.3f | %.3f |" % (name, j["fd"], j["kid"], j["kid_std"], j["precision"],
                                                                 j["recall"], j["classes"][1]), flush=True)


if __name__ == "__main__":
    main()
