// SDE marginals and priors against Monte-Carlo simulation and closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "sde/sde.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

// Simulates the forward SDE from x0 to t with fine Euler–Maruyama steps.
at::Tensor simulate(const Sde& sde, at::Tensor x, double t_end, int steps, at::Generator& gen) {
  const double dt = t_end / steps;
  for (int i = 0; i < steps; ++i) {
    auto t = at::full({x.size(0)}, i * dt, at::kFloat);
    auto g = per_sample(sde.diffusion(t), x);
    x = x + sde.drift(x, t) * dt + g * std::sqrt(dt) * randn(x.sizes(), gen, x.options());
  }
  return x;
}

class SdeMarginal : public ::testing::TestWithParam<std::string> {};

TEST_P(SdeMarginal, MatchesMonteCarloSimulation) {
  Json spec = {{"name", GetParam()}};
  if (GetParam() == "ve") spec["sigma_max"] = 5.0;
  auto sde = make_sde(spec);
  auto gen = make_generator(7);
  const int64_t n = 20000;
  for (double t : {0.2, 0.6, 1.0}) {
    auto x0 = at::full({n, 1}, 1.5, at::kFloat);
    auto xt = simulate(*sde, x0, t, 1000, gen);
    auto m = sde->marginal(at::full({1}, t, at::kFloat));
    const double mean = m.alpha.item<double>() * 1.5, std = m.sigma.item<double>();
    const double mc_mean = xt.mean().item<double>(), mc_std = xt.std().item<double>();
    // Monte-Carlo standard error of the mean is std/sqrt(n) ≈ 0.007·std; the EM bias is O(dt).
    EXPECT_NEAR(mc_mean, mean, 0.03 * std + 0.01) << GetParam() << " t=" << t;
    EXPECT_NEAR(mc_std / std, 1.0, 0.03) << GetParam() << " t=" << t;
  }
}

TEST_P(SdeMarginal, DiffusionIntegralMatchesQuadrature) {
  auto sde = make_sde(Json{{"name", GetParam()}});
  const double s = 0.1, t = 0.7;
  const int n = 20000;
  auto tau = at::linspace(s, t, n + 1, at::kDouble);
  auto g2 = sde->diffusion(tau).pow(2);
  const double trapezoid = ((g2.slice(0, 1) + g2.slice(0, 0, n)) * 0.5 * (t - s) / n).sum().item<double>();
  const double closed = sde->g2_integral(at::full({1}, s, at::kDouble), at::full({1}, t, at::kDouble)).item<double>();
  EXPECT_NEAR(closed / trapezoid, 1.0, 1e-6);
}

TEST_P(SdeMarginal, PriorLogProbIsTheGaussianDensity) {
  auto sde = make_sde(Json{{"name", GetParam()}});
  auto gen = make_generator(1);
  auto x = sde->prior_sample({4000, 3}, gen);
  const double var = sde->marginal(at::full({1}, 1.0, at::kFloat)).sigma.pow(2).item<double>();
  // The prior is the marginal at T with x0 = 0 (up to alpha(T)·x0, negligible here).
  EXPECT_NEAR(x.var().item<double>() / var, 1.0, 0.05);
  auto lp = sde->prior_log_prob(x.slice(0, 0, 2)).to(at::kDouble);
  for (int i = 0; i < 2; ++i) {
    double hand = 0;
    for (int j = 0; j < 3; ++j) {
      const double v = x[i][j].item<double>();
      hand += -0.5 * v * v / var - 0.5 * std::log(2 * M_PI * var);
    }
    EXPECT_NEAR(lp[i].item<double>(), hand, 1e-3 * std::fabs(hand) + 1e-4);
  }
}

INSTANTIATE_TEST_SUITE_P(AffineSdes, SdeMarginal, ::testing::Values("ve", "vp", "subvp"));

TEST(Sde, DefaultsFollowSongEtAl) {
  auto vp = make_sde(Json{{"name", "vp"}})->spec();
  EXPECT_DOUBLE_EQ(vp["beta_min"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(vp["beta_max"].get<double>(), 20.0);
  auto ve = make_sde(Json{{"name", "ve"}})->spec();
  EXPECT_DOUBLE_EQ(ve["sigma_min"].get<double>(), 0.01);
  auto eps = make_sde(Json{{"name", "vp"}, {"eps", 1e-4}});
  EXPECT_DOUBLE_EQ(eps->eps(), 1e-4);
}

}  // namespace
