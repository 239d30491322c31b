"""scorekit's σ-space samplers against k-diffusion's (an independent implementation), ctest
`python_k_diffusion`. Both run on one denoiser — the exact score of the 8-D Gaussian mixture under
the EDM SDE, scorekit's oracle, called in float64 through the Python binding — from the same start,
over the same σ ladder, and the stochastic ones with the same normal draws (scorekit's
Sampler.run_f64 reads them in order; k-diffusion gets them through its noise_sampler). The samples
must agree to 1e-5 relative in float64. Exits 77 (skipped) where k-diffusion is not installed
(scripts/bootstrap.sh installs it into .venv)."""
import importlib
import importlib.util
import os
import sys
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MIXTURE = os.path.join(HERE, "..", "..", "..", "tests", "data", "mixture8d.json")
RTOL = 1e-5


def load_k_diffusion_sampling():
    """k_diffusion.sampling without the package's __init__, which imports its training stack."""
    spec = importlib.util.find_spec("k_diffusion")
    if spec is None:
        return None
    package = types.ModuleType("k_diffusion")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["k_diffusion"] = package
    return importlib.import_module("k_diffusion.sampling")


try:
    import numpy as np
    import torch
    K = load_k_diffusion_sampling()
except ImportError as e:  # a dependency of k_diffusion.sampling is missing
    K, MISSING = None, str(e)
else:
    MISSING = "k-diffusion is not installed"
if K is None:
    print("skipped: %s (scripts/bootstrap.sh installs k-diffusion 0.1.1.post1 into .venv)" % MISSING)
    sys.exit(77)

import scorekit  # noqa: E402

# k-diffusion builds its ladders with torch.linspace in the default dtype: float64 throughout.
torch.set_default_dtype(torch.float64)

N, DIM, SIGMA_TOP = 64, 8, 80.0  # the EDM SDE's σ range is [0.002, 80]


class Normals:
    """Standard normals handed out in order: k-diffusion's noise_sampler and scorekit's given noise."""

    def __init__(self, flat):
        self.flat, self.used = flat, 0

    def __call__(self, sigma=None, sigma_next=None):
        out = self.flat[self.used:self.used + N * DIM].reshape(N, DIM)
        self.used += N * DIM
        return torch.from_numpy(out.copy())


class AgainstKDiffusion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.oracle = scorekit.Model.oracle({"name": "mixture", "path": MIXTURE}, {"name": "edm"})
        rng = np.random.default_rng(20261130)
        cls.z = rng.standard_normal((N, DIM))
        cls.normals = rng.standard_normal(200 * N * DIM)

    @classmethod
    def tearDownClass(cls):
        cls.oracle.close()

    def denoiser(self, x, sigma):
        """D(x; σ) = x + σ² ∇ log p_σ(x), with t = σ on the EDM SDE, in float64."""
        s = float(sigma.reshape(-1)[0])
        score = self.oracle.score_f64(x.numpy(), s)
        return x + s * s * torch.from_numpy(np.asarray(score))

    def compare(self, spec, k_sampler, sigmas, stochastic=False, normals=None, **k_args):
        """Runs both and checks the samples; returns the relative difference. stochastic: k-diffusion
        takes the normals through noise_sampler; normals: a Normals the caller handed it otherwise."""
        sigma_0 = float(sigmas[0])
        x_T = SIGMA_TOP * self.z  # scorekit starts from the prior draw and rescales it to σ_0
        with scorekit.Sampler(spec) as s:
            ours, used = s.run_f64(self.oracle, x_T, self.normals)
            nfe = s.nfe
        if stochastic:
            normals = k_args["noise_sampler"] = Normals(self.normals)
        theirs = k_sampler(self.denoiser, torch.from_numpy(self.z * sigma_0), sigmas, disable=True, **k_args)
        theirs = theirs.numpy()
        if normals is not None:
            self.assertEqual(used, normals.used, "normal draws used: scorekit vs k-diffusion")
            self.assertGreater(used, 0)
        rel = float(np.abs(ours - theirs).max() / np.abs(theirs).max())
        print("  %-70s NFE %3d  max |Δ| / max |x| = %.2e" % (str(spec), nfe, rel))
        self.assertTrue(np.isfinite(ours).all())
        self.assertLess(rel, RTOL, "%s differs from k-diffusion by %.3g relative" % (spec, rel))
        return rel

    def karras(self, steps, sigma_max=SIGMA_TOP):
        return K.get_sigmas_karras(steps, 0.002, sigma_max, rho=7.0, device="cpu")

    def test_euler_is_euler_ancestral_and_ddim_without_noise(self):
        sig = self.karras(20)
        self.compare({"name": "euler_ancestral", "steps": 20, "eta": 0}, K.sample_euler, sig)
        self.compare({"name": "ddim", "steps": 20, "eta": 0, "schedule": "karras"}, K.sample_euler, sig)

    def test_euler_ancestral(self):
        self.compare({"name": "euler_ancestral", "steps": 25}, K.sample_euler_ancestral, self.karras(25),
                     stochastic=True)

    def test_heun(self):
        self.compare({"name": "edm_heun", "steps": 18}, K.sample_heun, self.karras(18))

    def test_heun_with_churn(self):
        # Churn on every step: σ̂ = σ(1 + γ) must stay within the SDE's range, so the ladder starts at 40.
        sig = self.karras(18, sigma_max=40.0)
        normals = Normals(self.normals)
        real_randn_like = torch.randn_like
        torch.randn_like = lambda x, **kw: normals()  # sample_heun draws with torch.randn_like
        try:
            self.compare({"name": "edm_heun", "steps": 18, "s_churn": 5, "sigma_max": 40}, K.sample_heun, sig,
                         normals=normals, s_churn=5.0)
        finally:
            torch.randn_like = real_randn_like

    def test_dpmpp_2m(self):
        self.compare({"name": "dpmpp_2m", "steps": 15}, K.sample_dpmpp_2m, self.karras(15))

    def test_dpmpp_2m_on_an_exponential_schedule(self):
        sig = K.get_sigmas_exponential(15, 0.002, SIGMA_TOP, device="cpu")
        self.compare({"name": "dpmpp_2m", "steps": 15, "schedule": "exponential"}, K.sample_dpmpp_2m, sig)

    def test_dpmpp_2m_sde(self):
        self.compare({"name": "dpmpp_2m_sde", "steps": 20}, K.sample_dpmpp_2m_sde, self.karras(20),
                     stochastic=True, solver_type="midpoint")

    def test_dpmpp_3m_sde(self):
        self.compare({"name": "dpmpp_3m_sde", "steps": 20}, K.sample_dpmpp_3m_sde, self.karras(20), stochastic=True)

    def test_a_different_noise_sequence_is_told_apart(self):
        # The check can fail: the same sampler with other normals is far from k-diffusion's run.
        sig = self.karras(25)
        with scorekit.Sampler({"name": "euler_ancestral", "steps": 25}) as s:
            ours, _ = s.run_f64(self.oracle, SIGMA_TOP * self.z, self.normals[::-1].copy())
        theirs = K.sample_euler_ancestral(self.denoiser, torch.from_numpy(self.z * float(sig[0])), sig, disable=True,
                                          noise_sampler=Normals(self.normals)).numpy()
        self.assertGreater(np.abs(ours - theirs).max() / np.abs(theirs).max(), 1e-2)

    def test_too_few_normals_is_a_clear_error(self):
        with scorekit.Sampler({"name": "euler_ancestral", "steps": 25}) as s:
            with self.assertRaisesRegex(scorekit.Error, "needs more normal draws than the 10 given"):
                s.run_f64(self.oracle, SIGMA_TOP * self.z, self.normals[:10])
            with self.assertRaisesRegex(scorekit.Error, "x_T"):
                s.run_f64(self.oracle, self.z[:5, :3], self.normals)


if __name__ == "__main__":
    unittest.main(verbosity=2)
