// Learning-rate schedules, AdamW weight decay and the EMA schedules against their closed forms;
// EDM2's post-hoc EMA against quadrature and against a directly tracked EMA; bit-for-bit resume.
#include <gtest/gtest.h>

#include <cmath>

#include "test_dir.hpp"
#include "io/checkpoint.hpp"
#include "train/ema_snapshots.hpp"
#include "train/lr_schedule.hpp"
#include "train/posthoc_ema.hpp"
#include "train/scorer.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"

using namespace scorekit;

namespace {

Json base_spec(const Json& train) {
  Json t = train;
  t["batch"] = 32;
  t["seed"] = 11;
  return {{"data", "8gaussians"}, {"sde", "vp"}, {"model", {{"name", "mlp"}, {"hidden", 32}, {"depth", 1}}},
          {"objective", "dsm"}, {"train", t}};
}

std::vector<at::Tensor> params_of(torch::nn::Module& m) {
  std::vector<at::Tensor> out;
  for (auto& p : m.parameters()) out.push_back(p.detach().clone());
  return out;
}

double distance(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i].to(at::kDouble) - b[i].to(at::kDouble)).pow(2).sum().item<double>();
  return std::sqrt(s);
}

TEST(LrSchedule, ClosedForms) {
  LrSchedule s;
  s.lr = 1e-3;
  s.warmup = 10;
  EXPECT_DOUBLE_EQ(s.at(0), 1e-4);  // linear warm-up: (n + 1) / warmup
  EXPECT_DOUBLE_EQ(s.at(4), 5e-4);
  EXPECT_DOUBLE_EQ(s.at(50), 1e-3);

  s.name = "cosine";
  s.warmup = 0;
  s.decay_steps = 100;
  s.lr_min = 1e-4;
  EXPECT_DOUBLE_EQ(s.at(0), 1e-3);
  EXPECT_NEAR(s.at(50), 5.5e-4, 1e-15);                                   // halfway: the mean of lr and lr_min
  EXPECT_NEAR(s.at(25), 1e-4 + 9e-4 * (0.5 + 0.5 * std::sqrt(0.5)), 1e-15);  // cos(π/4) = √½
  EXPECT_DOUBLE_EQ(s.at(100), 1e-4);
  EXPECT_DOUBLE_EQ(s.at(1000), 1e-4);  // stays at lr_min after T

  s.name = "inverse_sqrt";
  s.decay_steps = 200;
  EXPECT_DOUBLE_EQ(s.at(0), 1e-3);
  EXPECT_DOUBLE_EQ(s.at(200), 1e-3);
  EXPECT_DOUBLE_EQ(s.at(800), 5e-4);   // 1/sqrt(4)
  EXPECT_NEAR(s.at(1800), 1e-3 / 3, 1e-18);

  s.decay_steps = 0;
  EXPECT_THROW(s.validate(), Error);
  s.name = "linear";
  EXPECT_THROW(s.validate(), Error);
}

TEST(LrSchedule, TrainerFollowsTheScheduleAndResolvesItInTheSpec) {
  Trainer t(base_spec({{"lr", 2e-3}, {"warmup", 0}, {"lr_schedule", "cosine"}, {"lr_decay_steps", 4}}));
  EXPECT_EQ(t.spec()["train"]["lr_schedule"], "cosine");
  EXPECT_EQ(t.spec()["train"]["lr_decay_steps"], 4);
  const double want[] = {2e-3, 2e-3 * (0.5 + 0.5 * std::sqrt(0.5)), 1e-3, 2e-3 * (0.5 - 0.5 * std::sqrt(0.5)), 0};
  for (double w : want) EXPECT_NEAR(t.step().lr, w, 1e-15);
  EXPECT_THROW(Trainer(base_spec({{"lr_schedule", "cosine"}})), Error);  // needs lr_decay_steps
}

TEST(WeightDecay, IsDecoupledFromTheGradient) {
  // AdamW: θ₁ = θ₀(1 − lr·wd) − lr·u(g) with the same Adam update u as without decay, so the two
  // runs differ after one step by exactly −lr·wd·θ₀.
  const double lr = 1e-2, wd = 0.5;
  Trainer plain(base_spec({{"lr", lr}, {"warmup", 0}, {"grad_clip", 0}}));
  Trainer decayed(base_spec({{"lr", lr}, {"warmup", 0}, {"grad_clip", 0}, {"weight_decay", wd}}));
  auto theta0 = params_of(plain.model());
  EXPECT_EQ(distance(theta0, params_of(decayed.model())), 0.0);
  plain.step();
  decayed.step();
  auto a = params_of(plain.model()), b = params_of(decayed.model());
  for (size_t i = 0; i < a.size(); ++i) {
    auto want = -lr * wd * theta0[i];
    EXPECT_TRUE(at::allclose(b[i] - a[i], want, 1e-4, 1e-6)) << "parameter " << i;
  }
  EXPECT_THROW(Trainer(base_spec({{"weight_decay", -1}})), Error);
}

TEST(EmaSchedule, ClosedForms) {
  EmaSchedule s;
  s.name = "warmup";
  s.decay = 0.999;
  s.warmup_gamma = 1;
  s.warmup_power = 1;
  EXPECT_DOUBLE_EQ(s.at(0), 0.0);      // starts as the weights
  EXPECT_DOUBLE_EQ(s.at(9), 0.9);      // 1 − 1/10
  EXPECT_DOUBLE_EQ(s.at(99999), 0.999);  // capped by ema_decay
  s.warmup_gamma = 2;
  s.warmup_power = 0.5;
  EXPECT_DOUBLE_EQ(s.at(6), 0.5);      // 1 − (1 + 3)^−½

  s.name = "half_life";
  s.batch = 10;
  s.half_life_images = 1000;
  s.rampup_ratio = 0;
  EXPECT_NEAR(std::pow(s.at(5), 100), 0.5, 1e-12);  // 100 steps of 10 images halve the old weight
  s.rampup_ratio = 0.05;
  EXPECT_DOUBLE_EQ(s.at(0), 0.0);
  EXPECT_DOUBLE_EQ(s.at(100), std::pow(0.5, 10.0 / 50.0));  // min(1000, 0.05·100·10 = 50 images)

  s.name = "power";
  s.sigma_rel = 0.1;
  EXPECT_DOUBLE_EQ(s.at(0), 0.0);
  EXPECT_NEAR(s.at(9), std::pow(0.9, sigma_rel_to_gamma(0.1) + 1), 1e-15);
}

TEST(PosthocEma, SigmaRelAndGammaMatchEdm2) {
  // EDM2 (Karras et al. 2024) quotes γ = 16.97 for σ_rel = 0.05 and γ = 6.94 for σ_rel = 0.10.
  EXPECT_NEAR(sigma_rel_to_gamma(0.05), 16.97, 0.005);
  EXPECT_NEAR(sigma_rel_to_gamma(0.10), 6.94, 0.005);
  for (double s : {0.01, 0.05, 0.1, 0.2, 0.28}) EXPECT_NEAR(gamma_to_sigma_rel(sigma_rel_to_gamma(s)), s, 1e-12);
  EXPECT_THROW(sigma_rel_to_gamma(0), Error);
  EXPECT_THROW(sigma_rel_to_gamma(0.3), Error);
}

TEST(PosthocEma, ProfileInnerProductMatchesQuadrature) {
  const EmaProfile a{6.94, 700}, b{16.97, 1000};
  auto p = [](const EmaProfile& q, double tau) {
    return tau > q.t ? 0.0 : (q.gamma + 1) * std::pow(tau, q.gamma) / std::pow(double(q.t), q.gamma + 1);
  };
  // Simpson's rule on [0, 700], where both profiles are non-zero.
  const int n = 20000;
  const double h = 700.0 / n;
  double sum = 0;
  for (int i = 0; i <= n; ++i) {
    const double w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
    const double tau = i == n ? 700.0 : i * h;  // n · h rounds above 700, which would drop the last node
    sum += w * p(a, tau) * p(b, tau);
  }
  const double quad = sum * h / 3;
  EXPECT_NEAR(profile_dot(a, b), quad, 1e-9 * quad);
  EXPECT_NEAR(profile_dot(b, a), quad, 1e-9 * quad);
  // A profile's own norm: (γ+1)² / ((2γ+1) t).
  EXPECT_NEAR(profile_dot(a, a), 7.94 * 7.94 / (14.88 * 700), 1e-15);
}

TEST(PosthocEma, ReconstructingAStoredProfileSelectsIt) {
  std::vector<EmaProfile> in;
  for (int64_t t : {100, 200, 300})
    for (double g : {sigma_rel_to_gamma(0.05), sigma_rel_to_gamma(0.1)}) in.push_back({g, t});
  auto x = posthoc_ema_coefficients(in, in[3]);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], i == 3 ? 1.0 : 0.0, 1e-6) << i;
}

TEST(PosthocEma, ReconstructionMatchesADirectlyTrackedEma) {
  // The sampling EMA tracks σ_rel = 0.07 directly; the post-hoc pair (0.05, 0.10) with snapshots
  // every 10 steps must rebuild it after training.
  Json spec = base_spec({{"lr", 5e-3}, {"ema_schedule", "power"}, {"ema_sigma_rel", 0.07},
                         {"ema_posthoc", {0.05, 0.1}}, {"ema_snapshot_every", 10}});
  Trainer t(spec);
  t.run(200);
  ASSERT_EQ(t.ema_snapshots().size(), 20u);
  const auto dir = sk_test::test_dir();
  t.save(dir + "/posthoc.skc");
  auto direct = params_of(t.ema_model());
  auto rebuilt = load_scorer(dir + "/posthoc.skc", "", 0.07);
  auto reconstructed = params_of(*rebuilt.model);
  const double err = distance(reconstructed, direct);
  // The scale of the question: how far apart the two tracked EMAs are, and the raw weights.
  const double spread = distance(params_of(t.posthoc_ema_model(0)), params_of(t.posthoc_ema_model(1)));
  const double raw = distance(params_of(t.model()), direct);
  std::printf("post-hoc EMA 0.07 vs direct: %.3g; EMA 0.05 vs 0.10: %.3g; raw vs EMA: %.3g\n", err, spread, raw);
  EXPECT_LT(err, 0.05 * spread);
  // Asking for a stored length returns (nearly) that EMA.
  auto stored = params_of(*load_scorer(dir + "/posthoc.skc", "", 0.1).model);
  EXPECT_LT(distance(stored, params_of(t.posthoc_ema_model(1))), 1e-3 * spread);
  EXPECT_THROW(load_scorer(dir + "/posthoc.skc", "", 0.5), Error);
}

TEST(Schedules, EveryStateResumesBitForBit) {
  Json spec = base_spec({{"lr_schedule", "inverse_sqrt"}, {"lr_decay_steps", 5}, {"weight_decay", 0.01},
                         {"ema_schedule", "half_life"}, {"ema_half_life_images", 200}, {"ema_posthoc", {0.05, 0.1}},
                         {"ema_snapshot_every", 4}});
  const auto path = sk_test::test_path("schedules_half.skc");
  Trainer straight(spec);
  straight.run(18);
  Trainer first(spec);
  first.run(9);
  first.save(path);
  auto resumed = Trainer::from_checkpoint(path);
  resumed->run(9);
  auto same = [](torch::nn::Module& a, torch::nn::Module& b) {
    auto x = params_of(a), y = params_of(b);
    for (size_t i = 0; i < x.size(); ++i)
      if (!at::equal(x[i], y[i])) return false;
    return true;
  };
  EXPECT_TRUE(same(straight.model(), resumed->model()));
  EXPECT_TRUE(same(straight.ema_model(), resumed->ema_model()));
  for (size_t k = 0; k < 2; ++k) EXPECT_TRUE(same(straight.posthoc_ema_model(k), resumed->posthoc_ema_model(k)));
  ASSERT_EQ(straight.ema_snapshots().size(), resumed->ema_snapshots().size());
  for (size_t i = 0; i < straight.ema_snapshots().size(); ++i) {
    const auto &a = straight.ema_snapshots()[i], &b = resumed->ema_snapshots()[i];
    EXPECT_EQ(a.step, b.step);
    for (size_t k = 0; k < a.weights.size(); ++k)
      for (size_t j = 0; j < a.weights[k].size(); ++j) EXPECT_TRUE(at::equal(a.weights[k][j], b.weights[k][j]));
  }
}

}  // namespace
