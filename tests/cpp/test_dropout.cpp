// Dropout under the objectives: the stacked copies of one sample share a mask (so the paired
// evaluations of LCSS and FD-SSM differ by their inputs alone), and masks come from the run's
// generator, so two runs with one seed agree even when LibTorch's global generator is disturbed.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "io/npy.hpp"
#include "objectives/objective.hpp"
#include "test_dir.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

Json unet_with_dropout(double p) {
  return {{"name", "unet"}, {"channels", 8}, {"channel_mult", {1, 2}}, {"num_res_blocks", 1},
          {"attention_resolutions", Json::array()}, {"dropout", p}};
}

// The U-Net starts with zero second convolutions and a zero output layer, which would hide every
// dropout mask; random weights make each mask visible in the output.
ModelPtr random_unet(double p, const SdePtr& sde) {
  auto model = make_model(unet_with_dropout(p), sde, {1, 8, 8});
  auto gen = make_generator(11);
  at::NoGradGuard no_grad;
  for (auto& w : model->parameters()) w.copy_(0.2 * randn(w.sizes(), gen, w.options()));
  model->train();
  return model;
}

}  // namespace

TEST(Dropout, StackedCopiesOfASampleShareTheirMask) {
  auto sde = make_sde(Json{{"name", "vp"}});
  auto model = random_unet(0.5, sde);
  auto gen = make_generator(1);
  auto x = randn({4, 1, 8, 8}, gen, at::TensorOptions());
  auto t = at::full({8}, 0.5);
  auto draw = make_generator(2);
  model->dropout_draws().gen = &draw;
  auto shared = model->score(at::cat({x, x}), t, 2);
  EXPECT_TRUE(at::allclose(shared.slice(0, 0, 4), shared.slice(0, 4, 8), 1e-6, 1e-6));
  auto independent = model->score(at::cat({x, x}), t);  // one batch of 8: its rows' masks differ
  EXPECT_FALSE(at::allclose(independent.slice(0, 0, 4), independent.slice(0, 4, 8)));
  model->dropout_draws().gen = nullptr;
}

// As the radius shrinks, LCSS's Stein term and FD-SSM's central difference converge to the
// network's directional derivative when both evaluations see one mask; with a mask per evaluation
// the difference carries mask noise that grows like 1/σ (LCSS) or 1/ε (FD-SSM).
TEST(Dropout, PairedEvaluationsConvergeAsTheRadiusShrinks) {
  auto sde = make_sde(Json{{"name", "vp"}});
  auto model = random_unet(0.3, sde);
  auto data_gen = make_generator(5);
  auto x0 = at::tanh(randn({8, 1, 8, 8}, data_gen, at::TensorOptions()));
  auto loss_at = [&](const std::string& name, const std::string& key, double radius) {
    Json spec = {{"name", name}, {key, radius}, {"weighting", "none"}};
    spec[name == "lcss" ? "sigma_mode" : "eps_mode"] = "absolute";
    auto gen = make_generator(9);  // the same t, x_t, probes and masks at every radius
    return make_objective(spec)->loss(*model, *sde, x0, gen).loss.item<double>();
  };
  for (const auto& [name, key] : std::vector<std::pair<std::string, std::string>>{{"lcss", "sigma"}, {"fd_ssm", "eps"}}) {
    const double coarse = loss_at(name, key, 1e-2), fine = loss_at(name, key, 1e-3);
    std::printf("%-7s radius 1e-2: %.4f  1e-3: %.4f\n", name.c_str(), coarse, fine);
    EXPECT_NEAR(fine, coarse, 0.05 * std::abs(coarse) + 0.05) << name;
  }
}

TEST(Dropout, SameSeedSameRunWhateverTheGlobalGenerator) {
  const auto dir = sk_test::test_path("dropout_runs");
  std::filesystem::create_directories(dir);
  auto gen = make_generator(3);
  write_npy(dir + "/images.npy", at::tanh(randn({16, 1, 8, 8}, gen, at::TensorOptions())));
  for (const auto& name : objective_names()) {
    Json objective = {{"name", name}};
    if (name == "stf") objective["reference"] = 4;
    Json spec = {{"data", {{"name", "npy"}, {"path", dir + "/images.npy"}}}, {"sde", "vp"},
                 {"model", unet_with_dropout(0.3)}, {"objective", objective},
                 {"train", {{"batch", 4}, {"warmup", 0}, {"lr", 1e-2}, {"seed", 7}}}};
    // Two runs stepped in turn, as two C-API handles on two threads would be, with the global
    // generator disturbed between steps: each must follow its own seed alone.
    Trainer a(spec), b(spec);
    // Three steps: the zero-initialised layers that hide the masks at first have moved by then.
    for (int step = 0; step < 3; ++step) {
      a.step();
      at::rand({5});
      b.step();
    }
    auto pa = a.model().parameters(), pb = b.model().parameters();
    bool same = true;
    for (size_t i = 0; i < pa.size(); ++i) same = same && at::equal(pa[i], pb[i]);
    EXPECT_TRUE(same) << name;
  }
}
