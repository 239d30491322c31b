"""scorekit for Python: score-based diffusion models over libscorekit's C ABI.

    import scorekit
    with scorekit.Trainer(spec) as trainer:
        trainer.train(1000, progress=lambda p: print(p.step, p.loss))
        trainer.save("moons.skc")
    with scorekit.Model.load("moons.skc") as model, scorekit.Sampler({"name": "em", "steps": 200}) as s:
        x = s.run(model, 512, seed=1)          # a (512, 2) float32 NumPy array

Handles are closed by ``close()`` or a ``with`` block (and, as a last resort, by the garbage
collector); ``close()`` twice is a no-op, any other call on a closed handle raises ``scorekit.Error``.
Failures raise ``scorekit.Error`` carrying the status and libscorekit's message. Arrays go in through
the buffer protocol (NumPy arrays, array.array, memoryview, or nested sequences) and come out as
float32 NumPy arrays of shape (n, dim) when NumPy is importable, else as ``array.array('f')``.
Specs are JSON strings or plain Python dicts/lists.
"""
import array as _array
import json as _json
import os as _os
from collections import namedtuple as _namedtuple

from . import scorekit_swig as _n

_np = None
if not _os.environ.get("SCOREKIT_NO_NUMPY"):  # set to test the NumPy-free path
    try:
        import numpy as _np
    except ImportError:
        pass

__all__ = ["Error", "Cancelled", "Progress", "Dataset", "Sde", "Model", "Objective", "Trainer", "Sampler",
           "sliced_wasserstein", "mmd", "image_features", "feature_metrics", "image_metrics", "version", "build_info", "abi_version", "HAVE_NUMPY"]

HAVE_NUMPY = _np is not None

OK = _n.SK_OK
ERR_INVALID_ARGUMENT = _n.SK_ERR_INVALID_ARGUMENT
ERR_SPEC = _n.SK_ERR_SPEC
ERR_IO = _n.SK_ERR_IO
ERR_CHECKPOINT = _n.SK_ERR_CHECKPOINT
ERR_CANCELLED = _n.SK_ERR_CANCELLED
ERR_RUNTIME = _n.SK_ERR_RUNTIME
ERR_STATE = _n.SK_ERR_STATE


class Error(Exception):
    """A failed libscorekit call: ``status`` (int), ``status_name`` ("SK_ERR_SPEC", ...) and the C message."""

    def __init__(self, status, message):
        self.status = int(status)
        self.status_name = _n.sk_status_name(self.status)
        self.message = message
        super().__init__("%s: %s" % (self.status_name, message))


class Cancelled(Error):
    """The progress callback stopped the call (it returned False); work already done stays done."""


def _raise(status, message):
    raise (Cancelled if status == ERR_CANCELLED else Error)(status, message)


def _check(status=None):
    s = _n.skw_last_status() if status is None else status
    if s != 0:
        _raise(s, _n.skw_last_error())


def version():
    """The library version, e.g. "0.1.0"."""
    return _n.sk_version()


def build_info():
    """What the library was built with and runs on, as JSON text: "scorekit", "torch", "cuda", "cudnn",
    "gpus", "blas", "onednn", "threads" (the C API's sk_build_info, `scorekit info`)."""
    s = _n.skw_build_info()
    _check()
    return s


def keep_freed_memory():
    """Makes glibc's malloc keep freed blocks up to 32 MiB for reuse rather than return them to the kernel,
    and puts a cache of freed tensor blocks (by size, at most 1 GiB idle) in front of LibTorch's CPU
    allocator (C API sk_keep_freed_memory): fewer page faults and less malloc work per training or
    sampling step. Process-wide, so the library never does it by itself; call it once, early, if
    your program wants it."""
    status = _n.sk_keep_freed_memory()
    if status != 0:
        _raise(status, _n.sk_last_error())


def abi_version():
    return _n.sk_abi_version()


if _n.sk_abi_version() != _n.SK_ABI_VERSION:  # pragma: no cover
    raise ImportError("libscorekit ABI %d, binding built for %d" % (_n.sk_abi_version(), _n.SK_ABI_VERSION))


def _spec(spec):
    """A spec as JSON: dicts and lists are encoded; a string is JSON text, or a bare name ("moons")."""
    if isinstance(spec, str):
        return spec if spec.lstrip()[:1] in ('{', '[', '"') else _json.dumps(spec)
    return _json.dumps(spec)


# ---- arrays ----
def _buffer_in(x, code):
    """A C-contiguous buffer of float32 (code "f") or float64 ("d") holding x, copied only when x is
    not one already."""
    if _np is not None:
        return _np.ascontiguousarray(x, dtype=_np.float32 if code == "f" else _np.float64)
    try:
        m = memoryview(x)
        if m.format == code and m.c_contiguous:
            return m
        return _array.array(code, _flatten(m.tolist()))
    except TypeError:
        return _array.array(code, _flatten(x))


def _floats_in(x):
    return _buffer_in(x, "f")


def _doubles_in(x):
    return _buffer_in(x, "d")


def _doubles_len(buf):
    return buf.size if _np is not None and isinstance(buf, _np.ndarray) else len(memoryview(buf).cast("B")) // 8


def _doubles_out_2d(n, dim):
    if _np is not None:
        return _np.empty((n, dim), dtype=_np.float64)
    return _array.array("d", bytes(8 * n * dim))


def _shape_of(x):
    """The shape of an array-like: NumPy's, a buffer's, or the nesting of sequences."""
    if _np is not None:
        return tuple(_np.shape(x))
    try:
        return tuple(memoryview(x).shape)
    except TypeError:
        shape = []
        while not isinstance(x, (int, float)):
            shape.append(len(x))
            x = x[0] if len(x) else 0.0
        return tuple(shape)


def _flatten(x):
    flat = []
    for v in x:
        if isinstance(v, (int, float)):
            flat.append(v)
        else:
            flat.extend(_flatten(v))
    return flat


def _times(t):
    try:
        len(t)
        return _floats_in(t)
    except TypeError:
        return _floats_in([float(t)])


def _floats_out(n, dim):
    if _np is not None:
        return _np.empty((n, dim), dtype=_np.float32)
    return _array.array("f", bytes(4 * n * dim))


def _doubles_out(n):
    return _array.array("d", bytes(8 * n))


def _length(buf):
    return buf.size if _np is not None and isinstance(buf, _np.ndarray) else len(memoryview(buf).cast("B")) // 4


# ---- progress ----
Progress = _namedtuple("Progress", "done total step loss")
Progress.__doc__ = """One progress report: units done and total in this call, the trainer's step, the loss (NaN for samplers)."""


class _Callback(_n.skw_progress):
    """Runs a Python callable from C. Returning False cancels; an exception (KeyboardInterrupt from
    Ctrl-C included) cancels too and is re-raised by the call that ran the callback."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.error = None

    def progress(self, done, total, step, loss):
        try:
            if self.fn is not None and self.fn(Progress(done, total, step, loss)) is False:
                return 1
            return 0
        except BaseException as e:  # noqa: B902 - re-raised after the C call returns
            self.error = e
            return 1

    def finish(self, status):
        if self.error is not None:
            err, self.error = self.error, None
            raise err
        _check(status)


# ---- handles ----
class _InUse:
    """Marks handles as used by a native call, which runs without the GIL: close() from another thread
    (or from a callback) then raises instead of freeing memory the call still reads."""

    def __init__(self, *handles):
        self.handles = handles

    def __enter__(self):
        ptrs = tuple(h._h for h in self.handles)  # a closed handle raises before anything is marked
        for h in self.handles:
            h._busy += 1
        return ptrs

    def __exit__(self, *exc):
        for h in self.handles:
            h._busy -= 1
        return False


class _Handle:
    _free = None
    _kind = "handle"
    _busy = 0

    def __init__(self, ptr):
        if ptr is None:
            _check()
            raise Error(ERR_RUNTIME, "libscorekit returned no handle")
        self._ptr = ptr

    @property
    def _h(self):
        if self._ptr is None:
            raise Error(ERR_STATE, "this %s is closed" % self._kind)
        return self._ptr

    @property
    def closed(self):
        return self._ptr is None

    def close(self):
        """Frees the native handle; closing again does nothing. Raises scorekit.Error while a call
        (in another thread, or the one running the current callback) still uses the handle."""
        if self._busy:
            raise Error(ERR_STATE, "this %s is in use by a running call" % self._kind)
        ptr, self._ptr = getattr(self, "_ptr", None), None
        if ptr is not None:
            type(self)._free(ptr)

    def __enter__(self):
        self._h
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self):
        return "<scorekit.%s%s>" % (type(self).__name__, " closed" if self.closed else "")


class Dataset(_Handle):
    """A source of training data: {"name": "moons"}, {"name": "npy", "path": F}, {"name": "mixture", ...}."""
    _free = staticmethod(_n.sk_dataset_free)
    _kind = "dataset"

    def __init__(self, spec):
        super().__init__(_n.skw_dataset_create(_spec(spec)))

    @classmethod
    def from_array(cls, a):
        """Data held in memory: an array of shape (n, dim) or (n, C, H, W) (NumPy, a buffer or nested
        lists), copied as float32. A run on it resumes with Trainer.load(path, data=...)."""
        shape = _shape_of(a)
        d = cls.__new__(cls)
        _Handle.__init__(d, _n.skw_dataset_from_array(_floats_in(a), _json.dumps(list(shape))))
        return d

    @property
    def dim(self):
        d = _n.skw_dataset_dim(self._h)
        _check()
        return d

    def sample(self, n, seed=0, out=None):
        """n samples (n, dim); out, if given, is a writable float32 buffer to fill instead."""
        out = _floats_out(n, self.dim) if out is None else out
        with _InUse(self) as (h,):
            _check(_n.skw_dataset_sample(h, n, seed, out))
        return out


class Sde(_Handle):
    """A forward process: "vp", "ve", "subvp" or {"name": "vp", "beta_min": .., "beta_max": ..}."""
    _free = staticmethod(_n.sk_sde_free)
    _kind = "sde"

    def __init__(self, spec):
        super().__init__(_n.skw_sde_create(_spec(spec)))

    def marginal(self, t):
        """(alpha, sigma) of x_t = alpha x_0 + sigma z."""
        out = _doubles_out(2)
        _check(_n.skw_sde_marginal(self._h, float(t), out))
        return out[0], out[1]

    def prior_sample(self, n, dim, seed=0, out=None):
        out = _floats_out(n, dim) if out is None else out
        with _InUse(self) as (h,):
            _check(_n.skw_sde_prior_sample(h, n, dim, seed, out))
        return out


class Model(_Handle):
    """A score network bound to its SDE."""
    _free = staticmethod(_n.sk_model_free)
    _kind = "model"

    def __init__(self, spec, sde, dim):
        """An untrained network for dim-valued samples under sde (an Sde)."""
        super().__init__(_n.skw_model_create(_spec(spec), sde._h, int(dim)))

    @classmethod
    def _wrap(cls, ptr):
        m = cls.__new__(cls)
        _Handle.__init__(m, ptr)
        return m

    @classmethod
    def load(cls, path, ema_sigma_rel=None):
        """The EMA weights, SDE and data set of a checkpoint; with ema_sigma_rel (in (0, 0.2887)), the
        EMA of that length rebuilt after training (EDM2's post-hoc EMA: the run needs "ema_posthoc")."""
        if ema_sigma_rel is None:
            return cls._wrap(_n.skw_model_load(str(path)))
        return cls._wrap(_n.skw_model_load_posthoc_ema(str(path), float(ema_sigma_rel)))

    @classmethod
    def oracle(cls, data, sde):
        """The exact score of a Gaussian mixture (a data spec: {"name": "mixture", "path": F} or inline
        weights/means/stds) under an affine SDE (e.g. "vp", {"name": "edm"}): a model without weights."""
        return cls._wrap(_n.skw_model_oracle(_spec(data), _spec(sde)))

    @property
    def dim(self):
        d = _n.skw_model_dim(self._h)
        _check()
        return d

    @property
    def spec(self):
        s = _n.skw_model_spec(self._h)
        _check()
        return _json.loads(s)

    def score(self, x, t, out=None):
        """grad_x log p_t(x) at the points x (n, dim) and times t (a number, or one per point);
        out, if given, is a writable float32 buffer to fill instead of a new array."""
        dim = self.dim
        xb = _floats_in(x)
        tb = _times(t)
        n = _length(xb) // dim if dim else 0
        out = _floats_out(n, dim) if out is None else out
        with _InUse(self) as (h,):
            _check(_n.skw_model_score(h, xb, dim, tb, out))
        return out

    def score_f64(self, x, t):
        """score() in float64: exact to float64 for models without weights (the oracle); a network
        computes in float32 and its result is widened."""
        dim = self.dim
        xb = _doubles_in(x)
        try:
            tb = _doubles_in(t) if len(t) else _doubles_in([])
        except TypeError:
            tb = _doubles_in([float(t)])
        n = _doubles_len(xb) // dim if dim else 0
        out = _doubles_out_2d(n, dim)
        with _InUse(self) as (h,):
            _check(_n.skw_model_score_f64(h, xb, dim, tb, out))
        return out

    def score_mse(self, mixture, n=4096, seed=0):
        """The sigma^2-weighted score error against a mixture Dataset's exact score (per dimension)."""
        out = _doubles_out(1)
        with _InUse(self, mixture) as (h, mh):
            _check(_n.skw_model_score_mse(h, mh, n, seed, out))
        return out[0]

    def nll(self, x, options=None):
        """(mean NLL in nats, bits per dimension) of the points x under the probability-flow ODE."""
        dim = self.dim
        out = _doubles_out(2)
        xb = _floats_in(x)
        with _InUse(self) as (h,):
            _check(_n.skw_model_nll(h, xb, dim, _spec(options if options is not None else {}), out))
        return out[0], out[1]


HAVE_NLL = bool(_n.skw_has_nll())


class Objective(_Handle):
    """A score-matching loss: {"name": "dsm", "weighting": "sigma2"}, ..."""
    _free = staticmethod(_n.sk_objective_free)
    _kind = "objective"

    def __init__(self, spec):
        super().__init__(_n.skw_objective_create(_spec(spec)))

    def loss(self, model, x0, seed=0):
        xb = _floats_in(x0)
        dim = model.dim
        with _InUse(self, model) as (h, mh):
            loss = _n.skw_objective_loss(h, mh, xb, dim, seed)
            _check()
        return loss


class Trainer(_Handle):
    """Data + SDE + model + objective + optimiser state, from a full training spec."""
    _free = staticmethod(_n.sk_trainer_free)
    _kind = "trainer"

    def __init__(self, spec, data=None):
        """data (a Dataset, e.g. Dataset.from_array(a)), if given, replaces the spec's "data"."""
        if data is None:
            super().__init__(_n.skw_trainer_create(_spec(spec)))
        else:
            super().__init__(_n.skw_trainer_create_with_data(_spec(spec), data._h))

    @classmethod
    def load(cls, path, data=None):
        """Resumes a run from a checkpoint, bit for bit; data (a Dataset) when the run's data cannot be
        rebuilt from its spec (an in-memory array, a moved file)."""
        t = cls.__new__(cls)
        h = _n.skw_trainer_load(str(path)) if data is None else _n.skw_trainer_load_with_data(str(path), data._h)
        _Handle.__init__(t, h)
        return t

    def step(self):
        """One optimisation step; returns its loss."""
        with _InUse(self) as (h,):
            loss = _n.skw_trainer_step(h)
            _check()
        return loss

    def train(self, steps, progress=None):
        """Runs steps steps. progress(Progress) is called after each; returning False stops with
        scorekit.Cancelled, and an exception it raises (or Ctrl-C) stops and is re-raised."""
        cb = _Callback(progress)
        with _InUse(self) as (h,):
            status = _n.skw_trainer_train(h, int(steps), cb)
        cb.finish(status)
        return self.last_loss

    @property
    def step_count(self):
        s = _n.skw_trainer_step_count(self._h)
        _check()
        return s

    @property
    def last_loss(self):
        v = _n.skw_trainer_last_loss(self._h)
        _check()
        return v

    @property
    def metrics(self):
        s = _n.skw_trainer_metrics(self._h)
        _check()
        return _json.loads(s)

    @property
    def spec(self):
        s = _n.skw_trainer_spec(self._h)
        _check()
        return _json.loads(s)

    def save(self, path):
        """Writes a checkpoint atomically."""
        with _InUse(self) as (h,):
            _check(_n.skw_trainer_save(h, str(path)))

    def model(self):
        """A new Model with a copy of the current EMA weights."""
        return Model._wrap(_n.skw_trainer_model(self._h))


class Sampler(_Handle):
    """A reverse-time integrator: {"name": "em", "steps": 500} | {"name": "ode_euler", "steps": 100}."""
    _free = staticmethod(_n.sk_sampler_free)
    _kind = "sampler"

    def __init__(self, spec):
        super().__init__(_n.skw_sampler_create(_spec(spec)))
        self.nfe = 0

    def run(self, model, n, seed=0, progress=None, out=None):
        """n samples (n, dim) from model; the score evaluations used are in self.nfe. progress works
        as in Trainer.train; out, if given, is a writable float32 buffer to fill instead."""
        out = _floats_out(n, model.dim) if out is None else out
        cb = _Callback(progress)
        with _InUse(self, model) as (h, mh):
            status = _n.skw_sampler_run(h, mh, int(n), seed, out, cb)
        cb.finish(status)
        self.nfe = _n.skw_last_nfe()
        return out

    def run_f64(self, model, x_T, normals):
        """A run in float64 from given randomness: x_T (n, dim) is the prior draw it starts from, and
        each later standard-normal draw is read in order from normals (any shape, read flat). Returns
        (samples (n, dim) float64, normals used); self.nfe as for run(). Replays a run of another
        implementation that used the same noise (tests/python: k-diffusion)."""
        dim = model.dim
        xb, nb = _doubles_in(x_T), _doubles_in(normals)
        n = _doubles_len(xb) // dim if dim else 0
        out = _doubles_out_2d(n, dim)
        with _InUse(self, model) as (h, mh):
            used = _n.skw_sampler_run_f64(h, mh, xb, dim, nb, out)
        _check()
        self.nfe = _n.skw_last_nfe()
        return out, used


def sliced_wasserstein(a, b, dim=2, projections=64, seed=0):
    """Sliced Wasserstein-2 distance between two point sets (n, dim)."""
    r = _n.skw_sliced_wasserstein(_floats_in(a), _floats_in(b), dim, projections, seed)
    _check()
    return r


def mmd(a, b, dim=2):
    """Squared MMD between two point sets (n, dim)."""
    r = _n.skw_mmd(_floats_in(a), _floats_in(b), dim)
    _check()
    return r


def _options_json(options):
    return _json.dumps({k: v for k, v in options.items() if v is not None}) if options else None


def image_features(images, classifier=None):
    """The shipped Fashion-MNIST classifier's 128 penultimate features of images (n, 1, 28, 28) in
    [-1, 1] (any float32 buffer of n * 784 values): an (n, 128) float32 array."""
    buf = _floats_in(images)
    n = (buf.size if _np is not None and isinstance(buf, _np.ndarray) else len(memoryview(buf).cast("B")) // 4) // 784
    out = _floats_out(n, 128)
    _check(_n.skw_image_features(buf, _options_json({"classifier": classifier}), out))
    return out


def feature_metrics(a, b, dim=128, **options):
    """fd, kid, kid_std, precision, recall between generated features a (n, dim) and reference features
    b (m, dim), as a dict. options: kid_subsets=100, kid_subset_size=1000, k=3, pr_max=10000, seed=0."""
    s = _n.skw_feature_metrics(_floats_in(a), _floats_in(b), dim, _options_json(options))
    _check()
    return _json.loads(s)


def image_metrics(images, **options):
    """Images (n, 1, 28, 28) in [-1, 1] against Fashion-MNIST's test split: a dict with fd, kid, kid_std,
    precision, recall, classes (fraction predicted per label), n, ... options: those of feature_metrics
    and data="fashion-mnist", split="test", path, classifier, cache_dir (docs/metrics.md)."""
    s = _n.skw_image_metrics(_floats_in(images), _options_json(options))
    _check()
    return _json.loads(s)
