"""Tests of the Python binding (ctest label `python`). Run with PYTHONPATH=<build>/bindings/python."""
import array
import gc
import json
import math
import os
import signal
import tempfile
import threading
import unittest

import scorekit

np = None
if scorekit.HAVE_NUMPY:
    import numpy as np

SPEC = {"data": "moons", "sde": "vp", "model": {"name": "mlp", "hidden": 16, "depth": 1, "time_dim": 8},
        "objective": "dsm", "train": {"batch": 32, "seed": 7, "warmup": 5}}
POINTS = [[0.5, -0.25], [1.0, 0.5], [-0.75, 0.1], [0.0, 0.0]]
# Keeps EDM2's two power EMAs, snapshotted every 5 steps, for post-hoc reconstruction.
POSTHOC_SPEC = dict(SPEC, train=dict(SPEC["train"], ema_posthoc=[0.05, 0.1], ema_snapshot_every=5))


def tmpdir():
    d = os.environ.get("SCOREKIT_TEST_DIR") or tempfile.gettempdir()
    os.makedirs(d, exist_ok=True)
    return tempfile.mkdtemp(prefix="py-", dir=d)


class WholePath(unittest.TestCase):
    def test_create_train_sample_score_save_load(self):
        d = tmpdir()
        path = os.path.join(d, "py.skc")
        seen = []
        with scorekit.Trainer(SPEC) as tr:
            loss = tr.train(20, progress=lambda p: seen.append(p))
            self.assertTrue(math.isfinite(loss))
            self.assertEqual(tr.step_count, 20)
            self.assertEqual(len(seen), 20)
            self.assertEqual((seen[-1].done, seen[-1].total, seen[-1].step), (20, 20, 20))
            self.assertTrue(math.isfinite(tr.step()))
            self.assertEqual(tr.metrics["step"], 21)
            self.assertIn("beta_max", json.dumps(tr.spec))
            tr.save(path)
            with tr.model() as live:
                s_live = live.score(POINTS, 0.5)
        with scorekit.Model.load(path) as m:
            self.assertEqual(m.dim, 2)
            self.assertEqual(m.spec["name"], "mlp")
            s = m.score(POINTS, 0.5)
            s_per_point = m.score(POINTS, [0.5, 0.5, 0.5, 0.5])
            self.assertEqual(len(_flat(s)), 8)
            for a, b in zip(_flat(s), _flat(s_live)):
                self.assertAlmostEqual(a, b, places=5)
            self.assertEqual(_flat(s), _flat(s_per_point))
            with scorekit.Sampler({"name": "em", "steps": 20}) as smp:
                x = smp.run(m, 64, seed=3)
                self.assertEqual(smp.nfe, 20)
                self.assertEqual(_flat(x), _flat(smp.run(m, 64, seed=3)))  # seeded: reproducible
            if np is not None:
                self.assertEqual(x.shape, (64, 2))
                self.assertEqual(x.dtype, np.float32)
                self.assertTrue(np.all(np.isfinite(x)))
            with scorekit.Dataset("moons") as moons:
                data = moons.sample(64, seed=1)
            self.assertGreater(scorekit.sliced_wasserstein(x, data), 0)
            self.assertGreaterEqual(scorekit.mmd(x, data), 0)
            with scorekit.Objective({"name": "dsm", "weighting": "sigma2"}) as obj:
                self.assertTrue(math.isfinite(obj.loss(m, data, seed=2)))
            if scorekit.HAVE_NLL:
                nats, bpd = m.nll(data[:16] if np is not None else POINTS)
                self.assertTrue(math.isfinite(nats) and math.isfinite(bpd))
        with scorekit.Trainer.load(path) as resumed:
            self.assertEqual(resumed.step_count, 21)

    def test_sde_dataset_and_mixture(self):
        with scorekit.Sde({"name": "vp", "beta_min": 0.1, "beta_max": 20}) as sde:
            alpha, sigma = sde.marginal(0.5)
            self.assertAlmostEqual(alpha * alpha + sigma * sigma, 1.0, places=5)
            prior = sde.prior_sample(10, 2, seed=1)
            self.assertEqual(len(_flat(prior)), 20)
            with scorekit.Model({"name": "mlp", "hidden": 8, "depth": 1}, sde, 2) as m:
                pass  # the model keeps what it needs of the sde
        mix = scorekit.Dataset({"name": "mixture", "weights": [0.5, 0.5], "means": [[-2, 0], [2, 0]],
                                "stds": [[0.5, 0.5], [0.5, 0.5]]})
        with mix, scorekit.Trainer(SPEC) as tr, tr.model() as m:
            self.assertEqual(mix.dim, 2)
            mse = m.score_mse(mix, 64, seed=0)
            self.assertTrue(math.isfinite(mse) and mse >= 0)

    def test_buffers_without_numpy_types(self):
        with scorekit.Trainer(SPEC) as tr, tr.model() as m:
            flat = array.array("f", [v for p in POINTS for v in p])
            a = m.score(flat, 0.5)
            b = m.score(memoryview(flat), 0.5)
            c = m.score(POINTS, 0.5)
            self.assertEqual(_flat(a), _flat(b))
            self.assertEqual(_flat(a), _flat(c))
            out = array.array("f", bytes(4 * 8))
            self.assertIs(m.score(flat, 0.5, out=out), out)
            self.assertEqual(list(out), _flat(a))


class Process(unittest.TestCase):
    def test_keep_freed_memory_is_idempotent(self):
        # Its effect (no page faults for a reused block) is the C++ test KeepFreedMemory.*.
        self.assertIsNone(scorekit.keep_freed_memory())
        self.assertIsNone(scorekit.keep_freed_memory())


class InMemoryData(unittest.TestCase):
    def test_from_array_trains_saves_and_resumes_with_the_array(self):
        rows = [[float(i % 5) - 2.0, 0.25 * i - 4.0] for i in range(40)]  # exact in float32
        a = np.array(rows, dtype=np.float64) if np is not None else rows  # converted to float32
        spec = {k: v for k, v in SPEC.items() if k != "data"}
        path = os.path.join(tmpdir(), "array.skc")
        with scorekit.Dataset.from_array(a) as data:
            if np is not None:
                a[:] = 99.0  # the data set holds its own copy
            self.assertEqual(data.dim, 2)
            drawn = _flat(data.sample(10, seed=1))
            for k in range(10):
                self.assertIn([drawn[2 * k], drawn[2 * k + 1]], rows)
            with scorekit.Trainer(spec, data=data) as tr:
                tr.train(3)
                self.assertEqual(tr.spec["data"]["name"], "array")
                self.assertEqual(tr.spec["sample_shape"], [2])
                tr.save(path)
            with self.assertRaises(scorekit.Error) as e:
                scorekit.Trainer.load(path)
            self.assertIn("in-memory array", e.exception.message)
            with scorekit.Trainer.load(path, data=data) as resumed:
                self.assertEqual(resumed.step_count, 3)
                resumed.train(1)
        with scorekit.Model.load(path) as m:  # sampling needs no data
            self.assertEqual(m.dim, 2)
        with self.assertRaises(scorekit.Error) as e:
            scorekit.Dataset.from_array([1.0, 2.0, 3.0])
        self.assertIn("2 to 8 entries", e.exception.message)
        with self.assertRaises(scorekit.Error) as e:
            scorekit.Trainer(SPEC, data=scorekit.Dataset.from_array(rows))
        self.assertIn("drop one of them", e.exception.message)


class Errors(unittest.TestCase):
    def test_bad_json(self):
        with self.assertRaises(scorekit.Error) as e:
            scorekit.Trainer('{"data": "moons",}')
        self.assertEqual(e.exception.status, scorekit.ERR_SPEC)
        self.assertEqual(e.exception.status_name, "SK_ERR_SPEC")
        self.assertIn("not valid JSON", str(e.exception))

    def test_unknown_name(self):
        with self.assertRaises(scorekit.Error) as e:
            scorekit.Trainer({"data": "moons", "sde": "vv"})
        self.assertEqual(e.exception.status, scorekit.ERR_SPEC)
        self.assertIn("subvp", e.exception.message)
        with self.assertRaisesRegex(scorekit.Error, "2spirals"):
            scorekit.Dataset({"name": "spiral"})
        with self.assertRaisesRegex(scorekit.Error, "unknown key 'extra'"):
            scorekit.Trainer({"data": "moons", "extra": 1})

    def test_wrong_array_length(self):
        with scorekit.Trainer(SPEC) as tr, tr.model() as m:
            with self.assertRaisesRegex(scorekit.Error, "t_len must be 1 or n = 4") as e:
                m.score(POINTS, [0.5, 0.5])
            self.assertEqual(e.exception.status, scorekit.ERR_INVALID_ARGUMENT)
            with self.assertRaisesRegex(scorekit.Error, "holds 7 values but 8"):
                m.score(POINTS, 0.5, out=array.array("f", bytes(4 * 7)))
            with self.assertRaisesRegex(scorekit.Error, "not a multiple of dim 2"):
                m.score([0.1, 0.2, 0.3], 0.5)
            with self.assertRaisesRegex(scorekit.Error, "outside \\(0, 1\\]"):
                m.score(POINTS, 2.0)
        with scorekit.Dataset("moons") as d:
            with self.assertRaisesRegex(scorekit.Error, "holds 19 values but 20"):
                d.sample(10, out=array.array("f", bytes(4 * 19)))
            with self.assertRaises(TypeError):  # a float64 buffer is not a float32 one
                d.sample(10, out=array.array("d", bytes(8 * 20)))

    def test_io_and_state(self):
        with self.assertRaises(scorekit.Error) as e:
            scorekit.Model.load("/nonexistent/ck.skc")
        self.assertEqual(e.exception.status, scorekit.ERR_IO)
        with scorekit.Trainer(SPEC) as tr:
            with self.assertRaisesRegex(scorekit.Error, "steps must be positive, got 0"):
                tr.train(0)
            with self.assertRaisesRegex(scorekit.Error, "cannot write"):
                tr.save("/nonexistent-dir/x.skc")

    def test_closed_handles(self):
        tr = scorekit.Trainer(SPEC)
        m = tr.model()
        tr.close()
        tr.close()  # closing twice is a no-op, never a double free
        self.assertTrue(tr.closed)
        with self.assertRaisesRegex(scorekit.Error, "trainer is closed"):
            tr.step()
        with self.assertRaisesRegex(scorekit.Error, "trainer is closed"):
            tr.save("x.skc")
        with self.assertRaises(scorekit.Error):
            with tr:
                pass
        with m:
            self.assertEqual(len(_flat(m.score(POINTS, 0.5))), 8)  # the model outlives its trainer
        with self.assertRaisesRegex(scorekit.Error, "model is closed"):
            m.score(POINTS, 0.5)
        smp = scorekit.Sampler({"name": "em", "steps": 5})
        with self.assertRaisesRegex(scorekit.Error, "model is closed"):
            smp.run(m, 4)
        smp.close()
        del m, smp, tr
        gc.collect()


class Callbacks(unittest.TestCase):
    def test_returning_false_cancels(self):
        with scorekit.Trainer(SPEC) as tr:
            calls = []

            def stop_at_3(p):
                calls.append(p.done)
                return p.done < 3

            with self.assertRaises(scorekit.Cancelled) as e:
                tr.train(10, progress=stop_at_3)
            self.assertEqual(e.exception.status, scorekit.ERR_CANCELLED)
            self.assertIn("cancelled", e.exception.message)
            self.assertEqual(calls, [1, 2, 3])
            self.assertEqual(tr.step_count, 3)  # work done stays done; the handle stays usable
            tr.train(2)
            self.assertEqual(tr.step_count, 5)

    def test_exception_cancels_and_propagates(self):
        class Boom(Exception):
            pass

        def boom(p):
            raise Boom("at %d" % p.done)

        with scorekit.Trainer(SPEC) as tr:
            with self.assertRaisesRegex(Boom, "at 1"):
                tr.train(10, progress=boom)
            self.assertEqual(tr.step_count, 1)
            with tr.model() as m, scorekit.Sampler({"name": "em", "steps": 50}) as smp:
                with self.assertRaises(scorekit.Cancelled):
                    smp.run(m, 8, progress=lambda p: p.done < 5)
                with self.assertRaisesRegex(Boom, "at 1"):
                    smp.run(m, 8, progress=boom)
                self.assertEqual(len(_flat(smp.run(m, 8))), 16)

    def test_ctrl_c_cancels_cleanly(self):
        if threading.current_thread() is not threading.main_thread():
            self.skipTest("signals need the main thread")
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
        with scorekit.Trainer(SPEC) as tr:
            timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
            timer.start()
            try:
                with self.assertRaises(KeyboardInterrupt):
                    tr.train(1000000)  # no callback given: Ctrl-C still stops it
            finally:
                timer.cancel()
                signal.signal(signal.SIGINT, previous)
            done = tr.step_count
            self.assertGreater(done, 0)
            self.assertLess(done, 1000000)
            tr.train(1)
            self.assertEqual(tr.step_count, done + 1)

    def test_callback_kept_alive(self):
        with scorekit.Trainer(SPEC) as tr:
            seen = []

            def make():
                local = []

                def cb(p):
                    local.append(p.done)
                    gc.collect()
                seen.append(local)
                return cb

            tr.train(5, progress=make())
            self.assertEqual(seen[0], [1, 2, 3, 4, 5])


def fashion_mnist_test_images(n):
    """The first n test images of Fashion-MNIST, scaled to [-1, 1], as a flat float32 array (no NumPy)."""
    import gzip
    with gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") as f:
        raw = f.read(16 + 784 * n)[16:]
    return array.array("f", (p / 127.5 - 1 for p in raw))


class ImageMetrics(unittest.TestCase):
    def test_features_metrics_and_errors(self):
        images = fashion_mnist_test_images(64)
        feats = scorekit.image_features(images)
        flat = list(feats.reshape(-1)) if np is not None else list(feats)
        self.assertEqual(len(flat), 64 * 128)
        self.assertTrue(all(math.isfinite(v) and v >= 0 for v in flat))
        m = scorekit.feature_metrics(feats, feats, kid_subsets=5, kid_subset_size=32)
        self.assertEqual(set(m), {"fd", "kid", "kid_std", "precision", "recall"})
        self.assertAlmostEqual(m["fd"], 0.0, places=3)
        self.assertEqual(m["precision"], 1.0)
        r = scorekit.image_metrics(images, cache_dir=tmpdir(), kid_subset_size=64, kid_subsets=10)
        for key in ("fd", "kid", "kid_std", "precision", "recall"):
            self.assertTrue(math.isfinite(r[key]), key)
        self.assertEqual(r["n"], 64)
        self.assertEqual(len(r["classes"]), 10)
        self.assertAlmostEqual(sum(r["classes"]), 1.0, places=6)
        with self.assertRaises(scorekit.Error):
            scorekit.image_metrics(images, data="mnist")
        with self.assertRaises(scorekit.Error):
            scorekit.image_features(images, classifier="/nonexistent/c.skc")
        with self.assertRaises(scorekit.Error):
            scorekit.image_metrics(array.array("f", [0.0] * 100))
        bad = array.array("f", images)
        bad[3] = float("nan")
        with self.assertRaises(scorekit.Error):
            scorekit.image_metrics(bad)


class PostHocEma(unittest.TestCase):
    def test_load_rebuilds_the_asked_ema_length(self):
        d = tmpdir()
        path, plain = os.path.join(d, "posthoc.skc"), os.path.join(d, "plain.skc")
        with scorekit.Trainer(POSTHOC_SPEC) as tr:
            tr.train(30)
            tr.save(path)
        scores = {}
        for rel in (0.03, 0.08, 0.15):
            with scorekit.Model.load(path, ema_sigma_rel=rel) as m:
                self.assertEqual(m.dim, 2)
                scores[rel] = list(_flat(m.score(POINTS, 0.3)))
                self.assertTrue(all(math.isfinite(v) for v in scores[rel]))
        with scorekit.Model.load(path) as m:
            usual = list(_flat(m.score(POINTS, 0.3)))
        # Each length is its own average of the weights: the models differ from each other and from the usual EMA.
        self.assertNotEqual(scores[0.03], scores[0.15])
        self.assertNotEqual(scores[0.08], usual)
        with self.assertRaises(scorekit.Error) as e:
            scorekit.Model.load(path, ema_sigma_rel=0.5)
        self.assertEqual(e.exception.status, scorekit.ERR_INVALID_ARGUMENT)
        self.assertIn("sigma_rel must lie", str(e.exception))
        with scorekit.Trainer(SPEC) as tr:
            tr.train(2)
            tr.save(plain)
        with self.assertRaises(scorekit.Error) as e:
            scorekit.Model.load(plain, ema_sigma_rel=0.1)
        self.assertEqual(e.exception.status, scorekit.ERR_CHECKPOINT)
        self.assertIn("keeps no post-hoc EMAs", str(e.exception))


class CrossLanguage(unittest.TestCase):
    """Writes a checkpoint and the scores it gives at fixed points, for the Java and C# tests."""

    def test_write_reference(self):
        out = os.environ.get("SCOREKIT_XLANG_DIR")
        if not out:
            self.skipTest("SCOREKIT_XLANG_DIR not set")
        os.makedirs(out, exist_ok=True)
        with scorekit.Trainer(SPEC) as tr:
            tr.train(30)
            tr.save(os.path.join(out, "python.skc"))
        with scorekit.Model.load(os.path.join(out, "python.skc")) as m:
            s = m.score(POINTS, 0.3)
        with open(os.path.join(out, "python_scores.txt"), "w") as f:
            f.write("%s\n" % " ".join(repr(float(v)) for v in _flat(POINTS)))
            f.write("0.3\n")
            f.write("%s\n" % " ".join(repr(float(v)) for v in _flat(s)))
        # A post-hoc EMA checkpoint and the scores of its sigma_rel = 0.08 reconstruction.
        with scorekit.Trainer(POSTHOC_SPEC) as tr:
            tr.train(30)
            tr.save(os.path.join(out, "python_posthoc.skc"))
        with scorekit.Model.load(os.path.join(out, "python_posthoc.skc"), ema_sigma_rel=0.08) as m:
            s = m.score(POINTS, 0.3)
        with open(os.path.join(out, "python_posthoc_scores.txt"), "w") as f:
            f.write("%s\n" % " ".join(repr(float(v)) for v in _flat(POINTS)))
            f.write("0.3\n")
            f.write("%s\n" % " ".join(repr(float(v)) for v in _flat(s)))


class CrossLanguageReads(unittest.TestCase):
    """Loads the checkpoints the Java and C# tests wrote and checks their scores bit for bit."""

    def test_read_others(self):
        out = os.environ.get("SCOREKIT_XLANG_DIR")
        langs = [l for l in os.environ.get("SCOREKIT_XLANG_READ", "").split(",") if l]
        if not out or not langs:
            self.skipTest("SCOREKIT_XLANG_DIR / SCOREKIT_XLANG_READ not set")
        for lang in langs:
            with open(os.path.join(out, "%s_scores.txt" % lang)) as f:
                rows = [[float(v) for v in line.split()] for line in f if line.strip()]
            with scorekit.Model.load(os.path.join(out, "%s.skc" % lang)) as m:
                got = array.array("f", _flat(m.score(rows[0], rows[1][0])))
            self.assertEqual(list(got), list(array.array("f", rows[2])), "%s checkpoint scores differ" % lang)


def _flat(x):
    if np is not None and isinstance(x, np.ndarray):
        return [float(v) for v in x.ravel()]
    if isinstance(x, (list, tuple)):
        return [float(v) for row in x for v in (row if isinstance(row, (list, tuple)) else [row])]
    return [float(v) for v in x]


if __name__ == "__main__":
    unittest.main()
