// Every objective against every SDE, with its default options, on the MLP and on a tiny U-Net:
// each pair an objective accepts takes one finite training step through the Trainer; each pair it
// refuses is refused when the Trainer is built, with a message naming the objectives that accept
// that SDE. The resolved spec states the weighting (and LCSS's sigma_mode) chosen for the SDE.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "io/npy.hpp"
#include "objectives/objective.hpp"
#include "sde/sde.hpp"
#include "test_dir.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

// The objectives that need the closed-form kernel (docs/objectives.md): everything else accepts
// every SDE. Written out here rather than read from the registry, so the registry is checked.
const std::vector<std::string> kAffineOnly = {"dsm", "stf"};
const std::vector<std::string> kAcceptNonlinear = {"ssm", "ssm_vr", "fd_ssm", "ism", "ism_hutchinson", "lcss", "local_dsm"};

bool accepts(const std::string& objective, const Sde& sde) {
  return sde.is_affine() || std::find(kAffineOnly.begin(), kAffineOnly.end(), objective) == kAffineOnly.end();
}

Json objective_spec(const std::string& name) {
  Json spec = {{"name", name}};
  if (name == "stf") spec["reference"] = 8;  // the reference pool is the (micro-)batch
  return spec;
}

struct MatrixCase {
  std::string label;
  Json data, model;
};

std::vector<MatrixCase> matrix_cases() {
  const auto dir = sk_test::test_path("objective_sde_matrix");
  std::filesystem::create_directories(dir);
  auto gen = make_generator(3);
  write_npy(dir + "/images.npy", at::tanh(randn({16, 1, 8, 8}, gen, at::TensorOptions())));
  return {{"mlp", {{"name", "moons"}}, {{"name", "mlp"}, {"hidden", 16}, {"depth", 1}, {"time_dim", 8}}},
          {"unet", {{"name", "npy"}, {"path", dir + "/images.npy"}},
           {{"name", "unet"}, {"channels", 8}, {"channel_mult", {1}}, {"num_res_blocks", 1}, {"attention_resolutions", Json::array()}}}};
}

}  // namespace

TEST(ObjectiveSdeMatrix, EveryAcceptedPairTrainsAndEveryRefusedPairIsRefusedUpFront) {
  for (const auto& c : matrix_cases()) {
    for (const auto& sde_name : sde_names()) {
      auto sde = make_sde(Json{{"name", sde_name}});
      for (const auto& name : objective_names()) {
        const std::string where = c.label + " / " + sde_name + " / " + name;
        Json spec = {{"data", c.data}, {"sde", sde_name}, {"model", c.model}, {"objective", objective_spec(name)},
                     {"train", {{"batch", 8}, {"warmup", 0}, {"seed", 1}}}};
        if (!accepts(name, *sde)) {
          try {
            Trainer trainer(spec);
            ADD_FAILURE() << where << ": accepted";
          } catch (const Error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find("'" + name + "' needs an affine SDE"), std::string::npos) << where << ": " << msg;
            EXPECT_NE(msg.find("accept it: " + join(kAcceptNonlinear)), std::string::npos) << where << ": " << msg;
          }
          continue;
        }
        try {
          Trainer trainer(spec);
          const auto& resolved = trainer.spec()["objective"];
          if (resolved.contains("weighting") && name != "local_dsm")
            EXPECT_EQ(resolved["weighting"], sde->is_affine() ? "sigma2" : "g2_integral") << where;
          if (name == "lcss") EXPECT_EQ(resolved["sigma_mode"], sde->is_affine() ? "relative" : "absolute") << where;
          if (name == "fd_ssm") EXPECT_EQ(resolved["eps_mode"], sde->is_affine() ? "relative" : "absolute") << where;
          auto r = trainer.step();
          EXPECT_TRUE(std::isfinite(r.loss)) << where;
          EXPECT_TRUE(std::isfinite(r.grad_norm) && r.grad_norm > 0) << where << ": grad norm " << r.grad_norm;
        } catch (const std::exception& e) {
          ADD_FAILURE() << where << ": " << e.what();
        }
      }
    }
  }
}

// An explicit choice that cannot work on the SDE still fails, and says what to use instead.
TEST(ObjectiveSdeMatrix, ExplicitAffineOnlyOptionsAreRefusedOnANonlinearSde) {
  Json spec = {{"data", "moons"}, {"sde", "langevin_mog"}, {"model", {{"name", "mlp"}, {"hidden", 8}, {"depth", 1}}},
               {"train", {{"batch", 8}}}};
  spec["objective"] = {{"name", "ssm"}, {"weighting", "sigma2"}};
  try {
    Trainer trainer(spec);
    ADD_FAILURE() << "sigma2 accepted on langevin_mog";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'g2_integral'"), std::string::npos) << e.what();
  }
  spec["objective"] = {{"name", "lcss"}, {"sigma_mode", "relative"}};
  try {
    Trainer trainer(spec);
    ADD_FAILURE() << "relative sigma accepted on langevin_mog";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"sigma_mode\": \"absolute\""), std::string::npos) << e.what();
  }
}
