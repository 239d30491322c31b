// The objective, model, data, SDE and sampler registries are tables: names, help text and errors come from one
// row per entry; ssm, ssm_vr and ism_hutchinson are one class; every objective has an options
// struct that builds it without JSON and writes the same spec.
#include <gtest/gtest.h>

#include <algorithm>

#include "expect.hpp"
#include "data/registry.hpp"
#include "models/registry.hpp"
#include "objectives/dsm.hpp"
#include "objectives/fd_ssm.hpp"
#include "objectives/ism.hpp"
#include "objectives/lcss.hpp"
#include "objectives/local_dsm.hpp"
#include "objectives/registry.hpp"
#include "objectives/sliced_score_matching.hpp"
#include "objectives/stf.hpp"
#include "samplers/noise_schedule.hpp"
#include "samplers/sampler.hpp"
#include "sde/sde.hpp"
#include "util/error.hpp"

using namespace scorekit;

namespace {
using sk_test::error_of;

}  // namespace

TEST(Registries, ObjectiveNamesHelpAndErrorsComeFromTheTable) {
  const std::vector<std::string> expected = {"dsm", "ssm", "ssm_vr", "fd_ssm", "ism", "ism_hutchinson", "lcss", "stf", "local_dsm"};
  EXPECT_EQ(objective_names(), expected);
  const auto help = objective_help();
  const auto unknown = error_of([] { make_objective(Json{{"name", "dsn"}}); });
  for (const auto& e : objective_table()) {
    EXPECT_FALSE(e.summary.empty()) << e.name;
    EXPECT_NE(help.find(e.name + " "), std::string::npos) << help;
    EXPECT_NE(unknown.find(e.name), std::string::npos) << unknown;
    auto obj = make_objective(Json{{"name", e.name}});
    EXPECT_EQ(obj->name(), e.name);
    EXPECT_EQ(obj->needs_affine_sde(), e.affine_only) << e.name;
    EXPECT_EQ(make_objective(obj->spec())->spec(), obj->spec()) << e.name;
  }
  EXPECT_NE(help.find("(affine SDEs)"), std::string::npos);
  EXPECT_NE(help.find("(every SDE)"), std::string::npos);
}

TEST(Registries, SlicedObjectivesAreOneClassUnderThreeNames) {
  for (const char* name : {"ssm", "ssm_vr", "ism_hutchinson"}) {
    auto obj = make_objective(Json{{"name", name}});
    ASSERT_NE(dynamic_cast<SlicedScoreMatching*>(obj.get()), nullptr) << name;
  }
  // Their JSON keys and defaults stay those of docs/objectives.md.
  EXPECT_EQ(make_objective(Json{{"name", "ssm"}})->spec(),
            (Json{{"name", "ssm"}, {"weighting", "auto"}, {"projection", "sphere"}, {"projections", 1}}));
  EXPECT_EQ(make_objective(Json{{"name", "ssm_vr"}})->spec(),
            (Json{{"name", "ssm_vr"}, {"weighting", "auto"}, {"projection", "gaussian"}, {"projections", 1}}));
  EXPECT_EQ(make_objective(Json{{"name", "ism_hutchinson"}})->spec(),
            (Json{{"name", "ism_hutchinson"}, {"weighting", "auto"}, {"probe", "rademacher"}, {"probes", 1}}));
  EXPECT_NE(error_of([] { make_objective(Json{{"name", "ssm"}, {"probe", "gaussian"}}); }).find("projection"),
            std::string::npos);
  EXPECT_NE(error_of([] { make_objective(Json{{"name", "ism_hutchinson"}, {"probe", "sphere"}}); }).find("rademacher"),
            std::string::npos);
}

// C++ callers build objectives from options structs; the spec they write is the JSON route's.
TEST(Registries, OptionsStructsBuildObjectivesWithoutJson) {
  LcssOptions lcss;
  lcss.draws = 4;
  lcss.antithetic = true;
  EXPECT_EQ(Lcss(lcss).spec(), make_objective(Json{{"name", "lcss"}, {"draws", 4}, {"antithetic", true}})->spec());
  FdSsmOptions fd;
  fd.eps_mode = "absolute";
  EXPECT_EQ(FdSsm(fd).spec(), make_objective(Json{{"name", "fd_ssm"}, {"eps_mode", "absolute"}})->spec());
  StfOptions stf;
  stf.reference = 16;
  EXPECT_EQ(Stf(stf).spec(), make_objective(Json{{"name", "stf"}, {"reference", 16}})->spec());
  LocalDsmOptions local;
  local.lambda = 0.3;
  EXPECT_EQ(LocalDsm(local).spec(), make_objective(Json{{"name", "local_dsm"}, {"lambda", 0.3}})->spec());
  EXPECT_EQ(Dsm().spec(), make_objective(Json{{"name", "dsm"}})->spec());
  EXPECT_EQ(Ism().spec(), make_objective(Json{{"name", "ism"}})->spec());
  auto sliced = SlicedOptions::defaults("ism_hutchinson");
  sliced.probe = "gaussian";
  EXPECT_EQ(SlicedScoreMatching("ism_hutchinson", sliced).spec(),
            make_objective(Json{{"name", "ism_hutchinson"}, {"probe", "gaussian"}})->spec());
  // Options structs are checked as JSON is.
  lcss.draws = 0;
  EXPECT_THROW(Lcss{lcss}, Error);
  DsmOptions dsm;
  dsm.weighting = "sigma3";
  EXPECT_THROW(Dsm{dsm}, Error);
}

TEST(Registries, ModelAndDataNamesHelpAndErrorsComeFromTheirTables) {
  EXPECT_EQ(model_names(), (std::vector<std::string>{"mlp", "unet", "oracle"}));
  const auto model_error = error_of([] { make_model(Json{{"name", "resnet"}}, make_sde(Json{{"name", "vp"}}), {2}); });
  for (const auto& e : model_table()) {
    EXPECT_NE(model_help().find(e.name + " "), std::string::npos);
    EXPECT_NE(model_error.find(e.name), std::string::npos) << model_error;
  }
  const auto data_error = error_of([] { make_dataset(Json{{"name", "spiral"}}); });
  for (const auto& e : dataset_table()) {
    EXPECT_NE(dataset_help().find(e.name + " "), std::string::npos);
    EXPECT_NE(data_error.find(e.name), std::string::npos) << data_error;
  }
  EXPECT_EQ(dataset_names().front(), "swissroll");
  EXPECT_EQ(dataset_names().back(), "images");
}

// The SDE, sampler and noise-schedule registries are tables carrying main's newer entries.
TEST(Registries, SdeAndSamplerNamesAndErrorsComeFromTheirTables) {
  EXPECT_EQ(sde_names(), (std::vector<std::string>{"ve", "vp", "subvp", "edm", "langevin_mog", "langevin_logistic",
                                                   "cubic", "double_well"}));
  const auto sde_error = error_of([] { make_sde(Json{{"name", "vq"}}); });
  for (const auto& e : sde_table()) {
    EXPECT_NE(std::string(e.summary), "") << e.name;
    EXPECT_NE(sde_error.find(e.name), std::string::npos) << sde_error;
  }
  for (const char* name : {"ddim", "euler_ancestral", "dpmpp_2m", "dpmpp_2m_sde", "dpmpp_3m_sde", "edm_heun", "em"}) {
    const auto names = sampler_names();
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  EXPECT_EQ(NoiseSchedule::names(), (std::vector<std::string>{"karras", "exponential", "vp", "uniform"}));
  const auto schedule_error = error_of([] { make_sampler(Json{{"name", "ddim"}, {"schedule", "cosine"}}); });
  for (const auto& e : noise_schedule_table())
    EXPECT_NE(schedule_error.find(e.name), std::string::npos) << schedule_error;
  const auto sampler_error = error_of([] { make_sampler(Json{{"name", "ddpm"}}); });
  for (const auto& e : sampler_table()) {
    EXPECT_NE(std::string(e.summary), "") << e.name;
    EXPECT_NE(sampler_error.find(e.name), std::string::npos) << sampler_error;
  }
}
