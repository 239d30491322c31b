// The STF paper's target variance and the STF bias, measured against the exact mixture posterior.
#include <gtest/gtest.h>

#include "eval/target_variance.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

// Four well-separated clusters: at intermediate t the posterior over them is spread out.
GaussianMixture separated() {
  return GaussianMixture(Json::parse(
      R"({"weights":[0.25,0.25,0.25,0.25],"means":[[-4,-4],[4,-4],[-4,4],[4,4]],"stds":[[0.3,0.3],[0.3,0.3],[0.3,0.3],[0.3,0.3]]})"));
}

TEST(TargetVariance, MonteCarloDsmVarianceMatchesTheExactPosteriorValue) {
  auto mix = separated();
  auto sde = make_sde(Json{{"name", "vp"}});
  for (double t : {0.1, 0.3, 0.6}) {
    auto gen = make_generator(1);
    auto s = target_stats(mix, *sde, t, 1, 400, 400, gen);
    std::printf("t=%.1f DSM variance: Monte Carlo %.4g, exact %.4g\n", t, s.variance, s.dsm_exact);
    EXPECT_NEAR(s.variance, s.dsm_exact, 0.05 * s.dsm_exact) << t;
  }
}

TEST(TargetVariance, StfReducesTheVarianceByAboutOneOverNMinusOneAndIsUnbiased) {
  auto mix = separated();
  auto sde = make_sde(Json{{"name", "vp"}});
  const double t = 0.6;  // α_t ≈ 0.1, σ_t ≈ 1: the clusters overlap, the posterior is spread out
  auto gen = make_generator(2);
  auto dsm = target_stats(mix, *sde, t, 1, 400, 400, gen);
  for (int64_t n : {8, 32, 128}) {
    auto stf = target_stats(mix, *sde, t, n, 400, 400, gen);
    const double ratio = stf.variance / dsm.variance;
    std::printf("n=%3lld: V_STF/V_DSM %.4f (1/(n-1) = %.4f); bias² %.3g vs draw noise %.3g\n",
                static_cast<long long>(n), ratio, 1.0 / (n - 1), stf.bias_sq, stf.bias_noise);
    EXPECT_NEAR(ratio, 1.0 / (n - 1), 0.3 / (n - 1)) << n;
    // With y₁ inside the weighted sum the mean target is the true score: the measured squared
    // bias is what the finite draws alone produce.
    EXPECT_LT(stf.bias_sq, 2.0 * stf.bias_noise) << n;
  }
  EXPECT_LT(dsm.bias_sq, 2.0 * dsm.bias_noise);
}

}  // namespace
