// The Gaussian-mixture truth: densities against closed forms, scores against finite differences.
#include <gtest/gtest.h>

#include <cmath>

#include "data/gaussian_mixture.hpp"
#include "sde/sde.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

Json two_component_3d() {
  return {{"name", "mixture"},
          {"weights", {0.3, 0.7}},
          {"means", {{-1.0, 0.5, 2.0}, {1.5, -0.5, 0.0}}},
          {"stds", {{0.3, 0.5, 0.2}, {0.6, 0.4, 0.8}}}};
}

TEST(Mixture, SingleGaussianLogDensityIsClosedForm) {
  GaussianMixture m(Json{{"weights", {1.0}}, {"means", {{0.5}}}, {"stds", {{2.0}}}});
  auto x = at::tensor({-1.0f, 0.5f, 3.0f}).reshape({3, 1});
  // Under alpha = 0.8, sigma = 0.6: N(0.4, 0.64·4 + 0.36).
  auto lp = m.log_prob(x, at::full({3}, 0.8), at::full({3}, 0.6));
  const double var = 0.64 * 4 + 0.36;
  for (int i = 0; i < 3; ++i) {
    const double v = x[i][0].item<double>() - 0.4;
    EXPECT_NEAR(lp[i].item<double>(), -0.5 * v * v / var - 0.5 * std::log(2 * M_PI * var), 1e-5);
  }
}

TEST(Mixture, ScoreMatchesFiniteDifferencesOfLogDensity) {
  GaussianMixture m(two_component_3d());
  auto gen = make_generator(3);
  auto x = (m.sample(16, gen).to(at::kDouble) + 0.3 * at::randn({16, 3}, gen, at::kFloat).to(at::kDouble));
  for (auto [a, s] : {std::pair{1.0, 0.0}, {0.7, 0.5}, {0.2, 0.98}}) {
    auto alpha = at::full({16}, a, at::kDouble), sigma = at::full({16}, s, at::kDouble);
    auto score = m.score(x, alpha, sigma);
    const double h = 1e-5;
    for (int j = 0; j < 3; ++j) {
      auto e = at::zeros({16, 3}, at::kDouble);
      e.select(1, j).fill_(h);
      auto fd = (m.log_prob(x + e, alpha, sigma) - m.log_prob(x - e, alpha, sigma)) / (2 * h);
      EXPECT_LT((fd - score.select(1, j)).abs().max().item<double>(), 1e-5) << "alpha=" << a << " dim " << j;
    }
  }
}

TEST(Mixture, SamplesHaveTheMixtureMoments) {
  GaussianMixture m(two_component_3d());
  auto gen = make_generator(5);
  auto x = m.sample(200000, gen).to(at::kDouble);
  // E[x] = Σ w_k m_k.
  const double mean0 = 0.3 * -1.0 + 0.7 * 1.5;
  EXPECT_NEAR(x.select(1, 0).mean().item<double>(), mean0, 0.01);
  const double second0 = 0.3 * (1.0 + 0.09) + 0.7 * (2.25 + 0.36);
  EXPECT_NEAR(x.select(1, 0).pow(2).mean().item<double>(), second0, 0.02);
}

TEST(Mixture, RejectsMalformedSpecs) {
  EXPECT_THROW(GaussianMixture(Json{{"weights", {1.0}}, {"means", {{0.0}}}}), Error);
  EXPECT_THROW(GaussianMixture(Json{{"weights", {-1.0}}, {"means", {{0.0}}}, {"stds", {{1.0}}}}), Error);
  EXPECT_THROW(GaussianMixture(Json{{"weights", {1.0}}, {"means", {{0.0}}}, {"stds", {{0.0}}}}), Error);
  EXPECT_THROW(GaussianMixture(Json{{"weights", {1.0, 1.0}}, {"means", {{0.0}}}, {"stds", {{1.0}}}}), Error);
  EXPECT_THROW(GaussianMixture(Json{{"weights", {1.0}}, {"means", {{0.0, 1.0}}}, {"stds", {{1.0, 1.0, 1.0}}}}), Error);
  EXPECT_THROW(GaussianMixture::from_file("/nonexistent/mixture.json"), Error);
  try {
    GaussianMixture(Json{{"weights", {1.0}}, {"means", {{0.0}}}, {"stds", {{1.0}}}, {"colour", 1}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("valid"), std::string::npos);
  }
}

}  // namespace
