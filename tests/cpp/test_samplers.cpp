// Every sampler, driven by the exact-score oracle, draws the mixture it targets: sliced W2 and MMD
// against fresh data stay below bounds set from the data-vs-data floor at a stated step count.
#include <gtest/gtest.h>

#include "data/gaussian_mixture.hpp"
#include "eval/metrics.hpp"
#include "samplers/sampler.hpp"
#include "train/scorer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

struct SamplerCase {
  std::string data;  // file under tests/data
  std::string sde;
  Json sampler;
  int64_t nfe;  // expected network evaluations (-1: adaptive)
};

std::ostream& operator<<(std::ostream& os, const SamplerCase& c) { return os << c.data << "/" << c.sde << "/" << c.sampler.dump(); }

class SamplerQuality : public ::testing::TestWithParam<SamplerCase> {};

// Sliced W2 between two independent 10k-sample data sets (200 projections), measured over seeds:
// 0.10-0.17 for the 2-D mixture (modes 4 apart: a 1% shift of mass between modes moves it by
// ~0.1, see test_training.cpp) and 0.02-0.06 for the 8-D one; the MMD floor is within ±0.0006.
// Bounds: sliced W2 < 0.25 (2-D) and < 0.1 (8-D), MMD < 0.002. Exact samplers measured 0.02-0.05
// (8-D) and 0.08-0.17 (2-D) over seeds; ald, the least exact, 0.04-0.09 (8-D). A wrong score
// scale, a missing noise term or too few steps lands far above (ode_euler with 2 steps: > 1).
TEST_P(SamplerQuality, SamplesMatchTheMixture) {
  const auto& c = GetParam();
  auto oracle = make_oracle_scorer(Json{{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/" + c.data}},
                                   Json{{"name", c.sde}});
  const auto& mix = *oracle.data->mixture();
  const int64_t n = 10000;
  auto gen = make_generator(11);
  auto out = make_sampler(c.sampler)->sample(*oracle.model, *oracle.sde, n, gen);
  ASSERT_EQ(out.x.sizes(), (std::vector<int64_t>{n, mix.sample_shape()[0]}));
  ASSERT_TRUE(at::isfinite(out.x).all().item<bool>());
  auto data = mix.sample(n, gen), reference = mix.sample(n, gen);
  const double sw = sliced_wasserstein(out.x, data, 200, gen);
  const double floor = sliced_wasserstein(reference, data, 200, gen);
  const double discrepancy = mmd(out.x.slice(0, 0, 2000), data.slice(0, 0, 2000));
  std::printf("%-60s nfe %4ld  sliced W2 %.4f (data floor %.4f)  MMD %.5f\n",
              (c.data + " " + c.sde + " " + c.sampler.dump()).c_str(), static_cast<long>(out.nfe), sw, floor, discrepancy);
  if (c.nfe >= 0) EXPECT_EQ(out.nfe, c.nfe);
  else EXPECT_GT(out.nfe, 12);  // adaptive: at least two Dormand–Prince steps
  EXPECT_LT(sw, mix.sample_shape()[0] == 2 ? 0.25 : 0.1);
  EXPECT_LT(discrepancy, 0.002);
}

std::vector<SamplerCase> sampler_cases() {
  std::vector<SamplerCase> v;
  for (const std::string data : {"mixture2d.json", "mixture8d.json"}) {
    for (const std::string sde : {"vp", "ve"}) {
      v.push_back({data, sde, {{"name", "em"}, {"steps", 300}}, 300});
      v.push_back({data, sde, {{"name", "pc"}, {"steps", 150}}, 300});
      v.push_back({data, sde, {{"name", "ode_euler"}, {"steps", 200}}, 200});
      v.push_back({data, sde, {{"name", "ode_heun"}, {"steps", 50}}, 100});
      v.push_back({data, sde, {{"name", "ode_rk4"}, {"steps", 25}}, 100});
      v.push_back({data, sde, {{"name", "ode_rk45"}, {"rtol", 1e-4}, {"atol", 1e-4}}, -1});
      v.push_back({data, sde, {{"name", "edm_heun"}, {"steps", 18}}, 35});
      v.push_back({data, sde, {{"name", "edm_heun"}, {"steps", 40}, {"s_churn", 10.0}}, 79});
      v.push_back({data, sde, {{"name", "ald"}, {"steps", 100}, {"steps_per_level", 5}, {"step_ratio", 0.5}}, 501});
    }
    // The σ-space samplers on every affine SDE (through the σ view; on edm it is the identity).
    for (const std::string sde : {"vp", "ve", "subvp", "edm"}) {
      // ddim's default grid is uniform in t, which on edm (t = σ) is uniform in σ: far too coarse at
      // small σ, so edm takes karras there.
      Json ddim = {{"name", "ddim"}, {"steps", 100}};
      if (sde == "edm") ddim["schedule"] = "karras";
      v.push_back({data, sde, ddim, 100});
      v.push_back({data, sde, {{"name", "ddim"}, {"steps", 100}, {"eta", 1.0}, {"schedule", "karras"}}, 100});
      v.push_back({data, sde, {{"name", "euler_ancestral"}, {"steps", 100}}, 100});
      v.push_back({data, sde, {{"name", "dpmpp_2m"}, {"steps", 25}}, 25});
      v.push_back({data, sde, {{"name", "dpmpp_2m_sde"}, {"steps", 50}}, 50});
      v.push_back({data, sde, {{"name", "dpmpp_2m_sde"}, {"steps", 50}, {"solver", "heun"}, {"schedule", "exponential"}}, 50});
      v.push_back({data, sde, {{"name", "dpmpp_3m_sde"}, {"steps", 50}}, 50});
    }
    v.push_back({data, "edm", {{"name", "edm_heun"}, {"steps", 18}}, 35});
    v.push_back({data, "vp", {{"name", "dpmpp_2m"}, {"steps", 25}, {"schedule", "vp"}}, 25});
  }
  return v;
}

INSTANTIATE_TEST_SUITE_P(Oracle, SamplerQuality, ::testing::ValuesIn(sampler_cases()));

}  // namespace
