"""scorekit's image metrics against an independent implementation (NumPy + SciPy), ctest
`python_image_metrics`. Both get the same features — the shipped Fashion-MNIST classifier's, of
1000 training images and 1000 test images, through the Python binding — and must agree:
  fd      ‖μ_a − μ_b‖² + tr(Σ_a + Σ_b − 2 sqrtm(Σ_a Σ_b)) with scipy.linalg.sqrtm (float64);
  kid     the unbiased MMD² with k(x, y) = (x·y/d + 1)³ on the whole sets (one subset holding every row);
  precision / recall  k = 3 nearest-neighbour balls (Kynkäänniemi et al. 2019) with scipy's cdist.
Exits 77 (skipped) where NumPy or SciPy is missing."""
import gzip
import os
import sys
import tempfile
import unittest

try:
    import numpy as np
    import scipy.linalg
    import scipy.spatial.distance
except ImportError as e:
    print("skipped: %s" % e)
    sys.exit(77)

import scorekit

DATA = "/usr/share/datasets/fashion-mnist"
N = 1000


def images(split, n):
    name = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(DATA, "%s-images-idx3-ubyte.gz" % name)) as f:
        raw = np.frombuffer(f.read(16 + 784 * n)[16:], dtype=np.uint8)
    return (raw.astype(np.float32) / 127.5 - 1).reshape(n, 1, 28, 28)


def fd(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    ma, mb = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(ca @ cb)
    return float(((ma - mb) ** 2).sum() + np.trace(ca) + np.trace(cb) - 2 * np.trace(root.real))


def kid(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    d = a.shape[1]
    kxx, kyy, kxy = ((a @ a.T) / d + 1) ** 3, ((b @ b.T) / d + 1) ** 3, ((a @ b.T) / d + 1) ** 3
    m = a.shape[0]
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean())


def precision_recall(real, fake, k=3):
    real, fake = real.astype(np.float64), fake.astype(np.float64)
    def radii(x):
        return np.sort(scipy.spatial.distance.cdist(x, x), axis=1)[:, k]
    rr, rf = radii(real), radii(fake)
    precision = (scipy.spatial.distance.cdist(fake, real) <= rr[None, :]).any(1).mean()
    recall = (scipy.spatial.distance.cdist(real, fake) <= rf[None, :]).any(1).mean()
    return float(precision), float(recall)


class AgainstScipy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = np.asarray(scorekit.image_features(images("train", N)))
        cls.real = np.asarray(scorekit.image_features(images("test", N)))

    def test_fd(self):
        ours = scorekit.feature_metrics(self.fake, self.real, pr_max=N + 1, kid_subsets=1, kid_subset_size=N)
        truth = fd(self.fake, self.real)
        print("fd: scorekit %.10g scipy %.10g" % (ours["fd"], truth))
        self.assertAlmostEqual(ours["fd"], truth, delta=1e-6 * abs(truth) + 1e-8)

    def test_kid_on_the_whole_sets(self):
        ours = scorekit.feature_metrics(self.fake, self.real, kid_subsets=1, kid_subset_size=N)
        truth = kid(self.fake, self.real)
        print("kid: scorekit %.10g numpy %.10g" % (ours["kid"], truth))
        self.assertAlmostEqual(ours["kid"], truth, delta=1e-6 * abs(truth) + 1e-10)
        self.assertEqual(ours["kid_std"], 0.0)

    def test_precision_recall(self):
        ours = scorekit.feature_metrics(self.fake, self.real, kid_subsets=1, kid_subset_size=N)
        p, r = precision_recall(self.real, self.fake)
        print("precision %.4f / %.4f, recall %.4f / %.4f (scorekit / scipy)" % (ours["precision"], p, ours["recall"], r))
        # Distances within float round-off of a radius may fall either way: a point or two.
        self.assertAlmostEqual(ours["precision"], p, delta=2.0 / N)
        self.assertAlmostEqual(ours["recall"], r, delta=2.0 / N)

    def test_features_of_the_image_metrics(self):
        # image_metrics on the same images reports the fd of these features against the cached test split.
        base = os.environ.get("SCOREKIT_TEST_DIR") or tempfile.gettempdir()
        os.makedirs(base, exist_ok=True)
        cache = tempfile.mkdtemp(prefix="py-image-metrics-", dir=base)
        r = scorekit.image_metrics(images("train", N), cache_dir=cache, kid_subsets=10)
        full = np.asarray(scorekit.image_features(images("test", 10000)))
        # The cached split's features come in other batch sizes than `full`'s, and float32 sums round
        # differently per batch shape and processor (1.1e-6 relative seen on an AVX2 EPYC); features of
        # another set of images would move fd by far more than 1e-5.
        self.assertAlmostEqual(r["fd"], fd(self.fake, full), delta=1e-5 * r["fd"])
        self.assertEqual(len(os.listdir(cache)), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
