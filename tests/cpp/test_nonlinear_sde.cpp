// Nonlinear forward SDEs and their priors: registry names, priors' scores and densities against
// numerical truth, Langevin-with-Gaussian-prior equals VP, the λ schedule, and the forward process
// reaching its prior.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sde/langevin_sde.hpp"
#include "sde/priors/gaussian_prior.hpp"
#include "sde/priors/logistic_prior.hpp"
#include "sde/priors/mog_prior.hpp"
#include "sde/priors/quartic_prior.hpp"
#include "sde/vp_sde.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

std::vector<PriorPtr> all_priors() {
  return {std::make_shared<GaussianPrior>(0.7), std::make_shared<MogPrior>(Json::object()),
          std::make_shared<MogPrior>(Json{{"weights", {0.2, 0.5, 0.3}}, {"means", {-2.0, 0.0, 1.5}}, {"stds", {0.3, 0.8, 0.5}}}),
          std::make_shared<LogisticPrior>(Json{{"loc", 0.3}, {"scale", 0.6}}), std::make_shared<QuarticPrior>(0.5, -1.0)};
}

// KS statistic of two samples.
double ks_two_sample(at::Tensor a, at::Tensor b) {
  a = std::get<0>(a.reshape({-1}).to(at::kDouble).sort());
  b = std::get<0>(b.reshape({-1}).to(at::kDouble).sort());
  auto all = at::cat({a, b});
  auto fa = at::searchsorted(a, all, false, true).to(at::kDouble) / a.size(0);
  auto fb = at::searchsorted(b, all, false, true).to(at::kDouble) / b.size(0);
  return (fa - fb).abs().max().item<double>();
}

}  // namespace

TEST(NonlinearSde, RegistryBuildsEachByNameAloneAndRoundTripsItsSpec) {
  for (std::string name : {"langevin_mog", "langevin_logistic", "cubic", "double_well"}) {
    auto sde = make_sde(Json{{"name", name}});
    EXPECT_EQ(sde->name(), name);
    EXPECT_FALSE(sde->is_affine());
    EXPECT_EQ(make_sde(sde->spec())->spec(), sde->spec()) << name;
    EXPECT_THROW(make_sde(Json{{"name", name}, {"bogus", 1}}), Error) << name;
    EXPECT_THROW(sde->marginal(at::ones({2})), Error);
    auto x = at::randn({5, 3});
    EXPECT_EQ(sde->drift(x, at::full({5}, 0.5)).sizes(), x.sizes());
  }
  auto custom = make_sde(Json{{"name", "langevin_mog"}, {"prior", {{"weights", {1, 3}}, {"means", {-2, 2}}, {"stds", {0.5, 1}}}}});
  EXPECT_DOUBLE_EQ(custom->spec()["prior"]["weights"][1].get<double>(), 0.75);
  EXPECT_THROW(make_sde(Json{{"name", "langevin_mog"}, {"prior", {{"means", {0, 1, 2}}}}}), Error);
}

TEST(NonlinearSde, PriorScoresDerivativesAndDensitiesAgreeWithNumerics) {
  auto x = at::linspace(-6, 6, 2401, at::kDouble);
  const double dx = 12.0 / 2400, h = 1e-5;
  for (const auto& prior : all_priors()) {
    const std::string what = prior->spec().dump();
    EXPECT_NEAR((prior->log_density(x).exp().sum().item<double>() - 0.5 * (prior->log_density(x.slice(0, 0, 1)).exp() +
                 prior->log_density(x.slice(0, 2400)).exp()).sum().item<double>()) * dx, 1.0, 2e-4) << what;
    auto fd_score = (prior->log_density(x + h) - prior->log_density(x - h)) / (2 * h);
    EXPECT_LT((fd_score - prior->score(x)).abs().max().item<double>(), 1e-5) << what;
    auto fd_deriv = (prior->score(x + h) - prior->score(x - h)) / (2 * h);
    EXPECT_LT((fd_deriv - prior->score_derivative(x)).abs().max().item<double>(), 1e-4) << what;
    // Samples follow the density: KS against draws from the tabulated CDF of log_density.
    auto gen = make_generator(11);
    auto s = prior->sample({20000}, gen).to(at::kDouble);
    auto p = prior->log_density(x).exp();
    auto cdf = (p * dx).cumsum(0);
    cdf = cdf / cdf[-1];
    auto idx = at::searchsorted(cdf, at::rand({20000}, gen, at::kDouble)).clamp_max(2400);
    const double ks = ks_two_sample(s, x.index_select(0, idx));
    EXPECT_LT(ks, 0.025) << what;  // 5% critical value at n = m = 20000 is 0.0136; grid adds ≤ dx
  }
}

TEST(NonlinearSde, LangevinWithAGaussianPriorIsVp) {
  LangevinSde lg("langevin_gaussian", std::make_shared<GaussianPrior>(1.0), {}, Json::object());
  VpSde vp(Json::object(), false);
  auto x = at::randn({7, 3}, at::kDouble);
  auto t = at::rand({7}, at::kDouble), s = t * 0.5;
  EXPECT_TRUE(at::allclose(lg.drift(x, t), vp.drift(x, t)));
  EXPECT_TRUE(at::allclose(lg.diffusion(t), vp.diffusion(t)));
  EXPECT_TRUE(at::allclose(lg.g2_integral(s, t), vp.g2_integral(s, t)));
  EXPECT_TRUE(at::allclose(lg.drift_jacobian_diagonal(x, t), vp.drift_jacobian_diagonal(x, t)));
  // Euler–Maruyama from a point matches the exact VP marginal moments.
  auto gen = make_generator(2);
  auto x0 = at::full({20000, 1}, 1.5);
  auto tt = at::full({20000}, 0.4);
  auto xt = lg.perturb(x0, tt, gen).first.to(at::kDouble);
  auto m = vp.marginal(at::full({1}, 0.4, at::kDouble));
  const double alpha = m.alpha.item<double>(), sd = m.sigma.item<double>();
  EXPECT_NEAR(xt.mean().item<double>(), 1.5 * alpha, 0.02);
  EXPECT_NEAR(xt.std().item<double>(), sd, 0.02);
}

TEST(NonlinearSde, LambdaScheduleStartsWhereTheNoiseBudgetIsSpent) {
  auto t = at::tensor({0.0005, 0.05, 0.3, 0.7, 1.0}, at::kDouble);
  for (std::string name : {"langevin_mog", "cubic", "double_well"}) {
    auto sde = make_sde(Json{{"name", name}});
    auto s = sde->g2_integral_start(t, 0.01);
    auto spent = sde->g2_integral(s, t);
    for (int i = 0; i < 5; ++i) {
      if (s[i].item<double>() > 0) EXPECT_NEAR(spent[i].item<double>(), 0.01, 1e-10) << name;
      else EXPECT_LE(sde->g2_integral(at::zeros({1}, at::kDouble), t.slice(0, i, i + 1)).item<double>(), 0.01 + 1e-12);
      EXPECT_LE(s[i].item<double>(), t[i].item<double>());
    }
  }
  // The default (bisection) on VP agrees with the closed form of the Langevin-Gaussian SDE.
  VpSde vp(Json::object(), false);
  LangevinSde lg("g", std::make_shared<GaussianPrior>(1.0), {}, Json::object());
  EXPECT_TRUE(at::allclose(vp.g2_integral_start(t, 0.01), lg.g2_integral_start(t, 0.01), 0, 1e-9));
}

TEST(NonlinearSde, ForwardProcessReachesItsPrior) {
  // From a lopsided start (all mass at x = 0.8 in every coordinate), samples at T pass a two-sample
  // KS test against prior draws at n = 4000 per coordinate: the 0.1% critical value is
  // 1.95 √(2/n) = 0.0436.
  const int64_t n = 4000;
  // (cubic's default β reaches only B(T) = 2.55, too little to balance its two wells: not tested.)
  for (std::string name : {"langevin_mog", "langevin_logistic", "double_well"}) {
    auto sde = make_sde(Json{{"name", name}});
    auto gen = make_generator(5);
    auto x0 = at::full({n, 2}, 0.8);
    auto xT = sde->perturb(x0, at::ones({n}), gen).first;
    auto prior = sde->prior_sample({n, 2}, gen);
    for (int j = 0; j < 2; ++j) {
      const double ks = ks_two_sample(xT.select(1, j), prior.select(1, j));
      std::printf("%s coordinate %d: KS %.4f\n", name.c_str(), j, ks);
      EXPECT_LT(ks, 0.0436) << name;
    }
  }
  // Stopped early, the process has not forgotten its start: the same test rejects at t = 0.05.
  auto sde = make_sde(Json{{"name", "langevin_mog"}});
  auto gen = make_generator(6);
  auto early = sde->perturb(at::full({n, 1}, 0.8), at::full({n}, 0.05), gen).first;
  EXPECT_GT(ks_two_sample(early, sde->prior_sample({n, 1}, gen)), 0.1);
}
