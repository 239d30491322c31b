// A tiny U-Net trains under every objective, and through the Trainer with periodic checkpoints,
// image metrics, EMA sampling and an image grid.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "io/npy.hpp"
#include "io/png.hpp"
#include "objectives/objective.hpp"
#include "samplers/sampler.hpp"
#include "train/scorer.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"
#include "test_dir.hpp"

using namespace scorekit;

namespace {

Json tiny_unet() { return {{"name", "unet"}, {"channels", 8}, {"channel_mult", {1, 2}}, {"num_res_blocks", 1}}; }

// Smooth 8×8 blobs in [−1, 1]: structured enough that a score network has something to learn.
at::Tensor blobs(int64_t n, uint64_t seed) {
  auto gen = make_generator(seed);
  auto centre = at::rand({n, 2, 1, 1}, gen) * 6 + 1;
  auto grid = at::arange(8, at::kFloat);
  auto dy = grid.view({1, 8, 1}) - centre.select(1, 0), dx = grid.view({1, 1, 8}) - centre.select(1, 1);
  return (2 * at::exp(-(dx * dx + dy * dy) / 4) - 1).unsqueeze(1);
}

}  // namespace

TEST(UnetTraining, EveryObjectiveIsFiniteAndLowersTheLossOnAFixedBatch) {
  auto sde = make_sde(Json{{"name", "vp"}});
  const auto x0 = blobs(8, 1);
  for (const auto& name : objective_names()) {
    auto model = make_model(tiny_unet(), sde, {1, 8, 8});
    Json spec = {{"name", name}};
    if (name == "stf") spec["reference"] = 4;  // the reference pool is the training batch
    auto objective = make_objective(spec);
    torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(2e-3));
    std::vector<double> losses;
    for (int step = 0; step < 8; ++step) {
      auto gen = make_generator(42);  // the same times, noise and projections every step
      auto out = objective->loss(*model, *sde, x0, gen);
      losses.push_back(out.loss.item<double>());
      ASSERT_TRUE(std::isfinite(losses.back())) << name << " at step " << step;
      adam.zero_grad();
      out.loss.backward();
      for (const auto& p : model->parameters()) {
        ASSERT_TRUE(p.grad().defined()) << name;
        ASSERT_TRUE(p.grad().isfinite().all().item<bool>()) << name;
      }
      adam.step();
    }
    std::printf("%-8s loss %.4f -> %.4f\n", name.c_str(), losses.front(), losses.back());
    EXPECT_LT(losses.back(), losses.front()) << name;
  }
}

TEST(UnetTraining, TrainerCheckpointsPeriodicallyReportsImagesPerSecondAndSamplesAGrid) {
  const auto dir = sk_test::test_dir();
  write_npy(dir + "/blobs.npy", blobs(32, 2));
  Json spec = {{"data", {{"name", "npy"}, {"path", dir + "/blobs.npy"}}}, {"sde", "vp"}, {"model", tiny_unet()},
               {"objective", "dsm"}, {"train", {{"batch", 8}, {"log_every", 2}, {"checkpoint_every", 3}, {"ema_decay", 0.9}}}};
  Trainer trainer(spec);
  const auto ckpt = dir + "/checkpoint.skc";
  trainer.set_checkpointing(ckpt, trainer.config().checkpoint_every);
  std::vector<Json> lines;
  trainer.run(5, nullptr, [&](const Json& j) { lines.push_back(j); });
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_GT(lines[0]["images_per_s"].get<double>(), 0);
  EXPECT_EQ(lines[0]["images_per_s"], lines[0]["samples_per_s"]);

  // The last periodic checkpoint was at step 3; it restores the EMA model for sampling.
  auto scorer = load_scorer(ckpt);
  EXPECT_EQ(scorer.step, 3);
  EXPECT_EQ(scorer.spec["train"]["checkpoint_every"], 3);
  auto gen = make_generator(0);
  auto out = make_sampler(Json{{"name", "em"}, {"steps", 5}})->sample(*scorer.model, *scorer.sde, 6, gen);
  ASSERT_EQ(out.x.sizes(), (std::vector<int64_t>{6, 1, 8, 8}));
  EXPECT_TRUE(out.x.isfinite().all().item<bool>());
  write_grid_png(dir + "/grid.png", out.x.clamp(-1, 1));
  EXPECT_GT(std::filesystem::file_size(dir + "/grid.png"), 50u);
}

TEST(UnetTraining, EverySamplerDrawsFiniteImagesFromAUnet) {
  // An untrained EDM U-Net is the exact score of N(0, σ_d² I) images (test_unet.cpp), a
  // well-posed target for every sampler; the ε-parameterised one checks the other conversion.
  auto sde = make_sde(Json{{"name", "vp"}});
  for (const char* param : {"edm", "noise"}) {
    Json spec = tiny_unet();
    spec["parameterisation"] = param;
    auto model = make_model(spec, sde, {1, 8, 8});
    model->eval();
    for (const auto& name : sampler_names()) {
      Json s = name == "ode_rk45" ? Json{{"name", name}, {"rtol", 1e-2}, {"atol", 1e-2}} : Json{{"name", name}, {"steps", 4}};
      auto gen = make_generator(3);
      auto out = make_sampler(s)->sample(*model, *sde, 3, gen);
      ASSERT_EQ(out.x.sizes(), (std::vector<int64_t>{3, 1, 8, 8})) << name << " " << param;
      EXPECT_TRUE(out.x.isfinite().all().item<bool>()) << name << " " << param;
      EXPECT_GT(out.nfe, 0) << name;
    }
  }
}
