// bf16 mixed precision: autocast really runs products in bf16, the master weights stay fp32, and
// a bf16 run learns the analytic mixture score about as well as the same run in fp32.
#include <gtest/gtest.h>

#include "data/gaussian_mixture.hpp"
#include "eval/metrics.hpp"
#include "train/autocast.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

Json precision_spec(const std::string& precision) {
  return {{"data", {{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/mixture2d.json"}}},
          {"sde", "vp"},
          {"model", {{"name", "mlp"}, {"hidden", 64}, {"depth", 2}}},
          {"objective", "dsm"},
          {"train", {{"batch", 256}, {"lr", 3e-3}, {"seed", 1}, {"ema_decay", 0.99}, {"precision", precision}}}};
}

TEST(MixedPrecision, AutocastRunsProductsInBf16OnlyInsideTheGuard) {
  auto a = at::ones({4, 4}), b = at::ones({4, 4});
  {
    AutocastGuard guard(c10::DeviceType::CPU, true);
    EXPECT_EQ(at::matmul(a, b).scalar_type(), at::kBFloat16);
    AutocastGuard nested(c10::DeviceType::CPU, false);  // a disabled guard changes nothing
    EXPECT_EQ(at::matmul(a, b).scalar_type(), at::kBFloat16);
  }
  EXPECT_EQ(at::matmul(a, b).scalar_type(), at::kFloat);
}

TEST(MixedPrecision, Bf16ReachesTheFp32ScoreErrorWithinAFactorOf1Point5) {
  double error[2], untrained = 0;
  const char* precisions[] = {"fp32", "bf16"};
  for (int i = 0; i < 2; ++i) {
    Trainer trainer(precision_spec(precisions[i]));
    EXPECT_EQ(trainer.spec()["train"]["precision"], precisions[i]);
    const auto& mix = *trainer.data().mixture();
    auto gen = make_generator(123);
    untrained = score_mse(trainer.ema_model(), trainer.sde(), mix, 4000, gen);
    trainer.run(800);
    for (auto& p : trainer.model().parameters()) EXPECT_EQ(p.scalar_type(), at::kFloat);  // fp32 master weights
    gen = make_generator(123);
    error[i] = score_mse(trainer.ema_model(), trainer.sde(), mix, 4000, gen);
  }
  std::printf("score_mse after 800 steps: untrained %.4f, fp32 %.4f, bf16 %.4f (ratio %.2f)\n", untrained, error[0],
              error[1], error[1] / error[0]);
  EXPECT_LT(error[0], untrained / 5);  // the comparison is between runs that learned
  EXPECT_LT(error[1], 1.5 * error[0]);
  EXPECT_THROW(Trainer(precision_spec("fp16")), Error);
}

}  // namespace
