// End to end: a trained MLP learns the analytic score of a 2-D mixture, its samples match the
// data, and a seed reproduces the run exactly.
#include <gtest/gtest.h>

#include "data/gaussian_mixture.hpp"
#include "eval/metrics.hpp"
#include "samplers/sampler.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

Json mixture_spec() {
  return {{"data", {{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/mixture2d.json"}}},
          {"sde", {{"name", "vp"}}},
          {"model", {{"name", "mlp"}, {"hidden", 128}, {"depth", 2}}},
          {"objective", {{"name", "dsm"}}},
          {"train", {{"batch", 256}, {"lr", 3e-3}, {"seed", 1}, {"ema_decay", 0.995}}}};
}

TEST(Training, MlpLearnsTheAnalyticMixtureScoreAndSamplesMatchTheData) {
  Trainer trainer(mixture_spec());
  const auto& mix = *trainer.data().mixture();
  auto gen = make_generator(123);
  const double before = score_mse(trainer.ema_model(), trainer.sde(), mix, 4000, gen);
  trainer.run(2000);
  const double after = score_mse(trainer.ema_model(), trainer.sde(), mix, 4000, gen);
  std::printf("score_mse: untrained %.4f, trained %.4f\n", before, after);
  EXPECT_GT(before, 0.3);
  EXPECT_LT(after, 0.05);
  EXPECT_LT(after, before / 10);

  // Sliced W2 between multimodal sets is noisy (a 1% shift of mass between modes 4 apart moves
  // it by ~0.1), so 10k samples are used; the oracle score with the same sampler scores 0.04-0.12.
  const int64_t n = 10000;
  auto samples = make_sampler(Json{{"name", "em"}, {"steps", 300}})->sample(trainer.ema_model(), trainer.sde(), n, gen);
  auto data = mix.sample(n, gen), reference = mix.sample(n, gen);
  const double sw = sliced_wasserstein(samples.x, data, 200, gen);
  const double floor = sliced_wasserstein(reference, data, 200, gen);
  const double discrepancy = mmd(samples.x.slice(0, 0, 3000), data.slice(0, 0, 3000));
  std::printf("sliced W2: samples %.4f, data-vs-data %.4f; MMD %.5f\n", sw, floor, discrepancy);
  EXPECT_LT(sw, 0.2);
  EXPECT_LT(discrepancy, 0.003);
  EXPECT_EQ(samples.nfe, 300);
}

TEST(Training, SameSeedReproducesTheLossCurve) {
  auto run = [](uint64_t seed) {
    auto spec = mixture_spec();
    spec["train"]["seed"] = seed;
    Trainer t(spec);
    std::vector<double> losses;
    for (int i = 0; i < 20; ++i) losses.push_back(t.step().loss);
    return losses;
  };
  auto a = run(4), b = run(4), c = run(5);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Training, MetricsLinesCarryLossAndThroughput) {
  auto spec = mixture_spec();
  spec["train"]["log_every"] = 5;
  Trainer t(spec);
  std::vector<Json> lines;
  t.run(10, nullptr, [&](const Json& j) { lines.push_back(j); });
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["step"], 10);
  EXPECT_TRUE(lines[1]["loss"].is_number());
  EXPECT_GT(lines[1]["steps_per_s"].get<double>(), 0);
}

TEST(Training, ProgressCallbackCancels) {
  Trainer t(mixture_spec());
  EXPECT_THROW(t.run(100, [](int64_t done, int64_t) { return done < 3; }), Cancelled);
  EXPECT_EQ(t.steps_done(), 3);
}

}  // namespace
