// Every objective learns the analytic score of a 2-D and a 10-D Gaussian mixture under VP and VE:
// the σ_t²-weighted score error (score_mse) ends far below the untrained model's and below a
// stated bound, and LCSS ends within a stated factor of DSM on the same setting.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "single_thread.hpp"
#include "data/gaussian_mixture.hpp"
#include "eval/metrics.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

Json mixture10d() {
  Json means = Json::array(), stds = Json::array();
  for (int k = 0; k < 3; ++k) {
    Json m = Json::array();
    for (int i = 0; i < 10; ++i) m.push_back(k == 0 ? 1.5 : k == 1 ? -1.5 : (i % 2 ? 1.5 : -1.5));
    means.push_back(m);
    stds.push_back(0.5);
  }
  return {{"name", "mixture"}, {"weights", {0.3, 0.3, 0.4}}, {"means", means}, {"stds", stds}};
}

Json training_spec(const std::string& objective, int dim, const std::string& sde) {
  Json data = dim == 2 ? Json{{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/mixture2d.json"}} : mixture10d();
  Json sde_spec = sde == "ve" ? Json{{"name", "ve"}, {"sigma_max", 10.0}} : Json{{"name", "vp"}};
  return {{"data", data}, {"sde", sde_spec},
          {"model", {{"name", "mlp"}, {"hidden", 64}, {"depth", 2}}},
          {"objective", {{"name", objective}}},
          {"train", {{"batch", 256}, {"lr", 3e-3}, {"warmup", 50}, {"seed", 3}, {"ema_decay", 0.99}}}};
}

constexpr int64_t kSteps = 800;

using sk_test::SingleThread;

std::pair<double, double> train_and_score(const std::string& objective, int dim, const std::string& sde) {
  SingleThread single;
  Trainer trainer(training_spec(objective, dim, sde));
  const auto& mix = *trainer.data().mixture();
  auto gen = make_generator(99);
  const double before = score_mse(trainer.ema_model(), trainer.sde(), mix, 4000, gen);
  trainer.run(kSteps);
  auto gen2 = make_generator(100);
  const double after = score_mse(trainer.ema_model(), trainer.sde(), mix, 4000, gen2);
  return {before, after};
}

// DSM's error per setting, trained once and shared with the LCSS comparison.
double dsm_reference(int dim, const std::string& sde) {
  static std::map<std::pair<int, std::string>, double> cache;
  auto key = std::make_pair(dim, sde);
  if (!cache.count(key)) cache[key] = train_and_score("dsm", dim, sde).second;
  return cache[key];
}

using LearnCase = std::tuple<std::string, int, std::string>;
class ObjectiveLearns : public ::testing::TestWithParam<LearnCase> {};

// Bounds on the per-dimension σ²-weighted score MSE after kSteps, about twice the largest value
// measured over the four settings (printed by the test). Measured (d=2 vp/ve, d=10 vp/ve):
// dsm .0051/.0081/.0066/.0108, stf .0023/.0045/.0053/.0097, ism .0089/.0131/.0177/.0161,
// ssm_vr .0148/.0252/.0265/.0221, fd_ssm .0106/.0193/.0241/.0221, ism_hutchinson .0110/.0164/
// .0245/.0215, lcss .0148/.0240/.0265/.0224, ssm .0120/.0214/.0640/.0548 (the projected norm
// ½(vᵀs)² adds variance that grows with d). Untrained: .73/.37/.82/.44.
double bound(const std::string& objective, int dim) {
  if (objective == "dsm" || objective == "stf") return 0.025;
  if (objective == "ism") return 0.04;
  if (objective == "ssm") return dim == 2 ? 0.05 : 0.12;
  return 0.05;
}

TEST_P(ObjectiveLearns, ScoreErrorEndsFarBelowTheUntrainedModel) {
  const auto& [objective, dim, sde] = GetParam();
  auto [before, after] = train_and_score(objective, dim, sde);
  if (objective == "dsm") dsm_reference(dim, sde);
  std::printf("%s d=%d %s: score_mse untrained %.4f, trained %.4f\n", objective.c_str(), dim, sde.c_str(), before, after);
  EXPECT_LT(after, before / 5);
  EXPECT_LT(after, bound(objective, dim));
  if (objective == "lcss") {
    const double dsm = dsm_reference(dim, sde);
    std::printf("  lcss / dsm = %.2f (dsm %.4f)\n", after / dsm, dsm);
    // Measured 2.1-4.0x: LCSS is an estimator of Hyvärinen's objective and carries the same
    // probe noise as SSM-VR, which DSM's regression does not.
    EXPECT_LT(after, 6.0 * dsm);
  }
}

INSTANTIATE_TEST_SUITE_P(AllObjectives, ObjectiveLearns,
                         ::testing::Combine(::testing::Values("dsm", "ssm", "ssm_vr", "fd_ssm", "ism", "ism_hutchinson", "lcss", "stf"),
                                            ::testing::Values(2, 10), ::testing::Values("vp", "ve")),
                         [](const ::testing::TestParamInfo<LearnCase>& info) {
                           return std::get<0>(info.param) + "_d" + std::to_string(std::get<1>(info.param)) + "_" + std::get<2>(info.param);
                         });

}  // namespace
