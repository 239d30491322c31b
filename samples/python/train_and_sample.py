"""scorekit from Python: train a small score model on the "moons" set, save a checkpoint, load it
back, draw samples and compare them with the data.
    samples/run_python.sh [BUILD_DIR] [OUT_DIR] [STEPS]
    (or: PYTHONPATH=build/bindings/python /usr/bin/python3 samples/python/train_and_sample.py OUT_DIR STEPS)"""
import os
import sys

import scorekit

SPEC = {
    "data": "moons",
    "sde": {"name": "vp", "beta_min": 0.1, "beta_max": 20},
    "model": {"name": "mlp", "hidden": 64, "depth": 2},
    "objective": {"name": "dsm", "weighting": "sigma2"},
    "train": {"batch": 256, "lr": 0.003, "warmup": 50, "ema_decay": 0.99, "seed": 1, "log_every": 100},
}
N = 512


def moments(x):
    """Per-coordinate mean and standard deviation of an (n, 2) set (NumPy array or flat array.array)."""
    flat = [float(v) for v in (x.ravel() if hasattr(x, "ravel") else x)]
    rows = list(zip(flat[0::2], flat[1::2]))
    mean = [sum(r[d] for r in rows) / len(rows) for d in range(2)]
    sd = [(sum((r[d] - mean[d]) ** 2 for r in rows) / len(rows)) ** 0.5 for d in range(2)]
    return mean, sd


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    print("scorekit %s (ABI %d), NumPy %s" % (scorekit.version(), scorekit.abi_version(),
                                             "yes" if scorekit.HAVE_NUMPY else "no"))
    path = os.path.join(out_dir, "moons.skc")

    def report(p):  # returning False (or pressing Ctrl-C) would stop training
        if p.done % max(p.total // 4, 1) == 0:
            print("  step %5d/%d  loss %.4f" % (p.done, p.total, p.loss))

    with scorekit.Trainer(SPEC) as trainer:
        print("training %d steps" % steps)
        trainer.train(steps, progress=report)
        print("metrics:", trainer.metrics)
        trainer.save(path)
    print("saved", path)

    # A fresh process would start here: everything needed is in the checkpoint.
    with scorekit.Model.load(path) as model, scorekit.Sampler({"name": "em", "steps": 200}) as sampler, \
            scorekit.Dataset("moons") as moons, scorekit.Sde("vp") as sde:
        samples = sampler.run(model, N, seed=42)
        data = moons.sample(N, seed=7)
        prior = sde.prior_sample(N, 2, seed=3)
        sw = scorekit.sliced_wasserstein(samples, data, dim=2, projections=64)
        sw_prior = scorekit.sliced_wasserstein(prior, data, dim=2, projections=64)
        nfe = sampler.nfe
    (ms, ss), (md, sd) = moments(samples), moments(data)
    print("sampled %d points with %d score evaluations" % (N, nfe))
    print("  samples: mean (%.3f, %.3f)  sd (%.3f, %.3f)" % (ms[0], ms[1], ss[0], ss[1]))
    print("  data:    mean (%.3f, %.3f)  sd (%.3f, %.3f)" % (md[0], md[1], sd[0], sd[1]))
    print("  sliced W2 to the data: samples %.4f, prior noise %.4f" % (sw, sw_prior))
    if not sw < 0.5 * sw_prior:
        print("samples are not closer to the data than noise", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
