// Bad sampler and likelihood input gets clear errors; progress callbacks cancel every sampler.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "expect.hpp"
#include "io/npy.hpp"
#include "likelihood/likelihood.hpp"
#include "models/score_model.hpp"
#include "samplers/sampler.hpp"
#include "train/scorer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"
#include "test_dir.hpp"

using namespace scorekit;

namespace {
using sk_test::expect_error;

Scorer oracle2d(const std::string& sde = "vp") {
  return make_oracle_scorer(Json{{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/mixture2d.json"}},
                            Json{{"name", sde}});
}

TEST(SamplerErrors, NonPositiveStepsAndTolerancesAreRejected) {
  for (const auto& name : sampler_names()) {
    if (name == "ode_rk45") continue;
    for (int steps : {0, -3}) expect_error([&] { make_sampler(Json{{"name", name}, {"steps", steps}}); }, {name.c_str(), "steps"});
  }
  expect_error([] { make_sampler(Json{{"name", "ode_rk45"}, {"rtol", 0.0}}); }, {"rtol", "> 0"});
  expect_error([] { make_sampler(Json{{"name", "ode_rk45"}, {"atol", -1e-5}}); }, {"atol", "> 0"});
  expect_error([] { make_sampler(Json{{"name", "pc"}, {"snr", -0.1}}); }, {"snr"});
  expect_error([] { make_sampler(Json{{"name", "pc"}, {"corrector_steps", 0}}); }, {"corrector_steps"});
  expect_error([] { make_sampler(Json{{"name", "pc"}, {"predictor", "ancestral"}}); }, {"ancestral", "reverse_diffusion"});
  expect_error([] { make_sampler(Json{{"name", "ald"}, {"step_ratio", 2.0}}); }, {"step_ratio"});
  expect_error([] { make_sampler(Json{{"name", "edm_heun"}, {"steps", 1}}); }, {"steps", "σ = 0"});
  expect_error([] { make_sampler(Json{{"name", "edm_heun"}, {"s_churn", -1.0}}); }, {"s_churn"});
  expect_error([] { make_sampler(Json{{"name", "ode_heun"}, {"stepz", 10}}); }, {"stepz", "steps"});
  expect_error([] { make_sampler("lms"); }, {"lms", "pc", "edm_heun", "ald", "ddim", "dpmpp_3m_sde"});
  for (const char* name : {"ddim", "euler_ancestral", "dpmpp_2m", "dpmpp_2m_sde", "dpmpp_3m_sde"}) {
    expect_error([&] { make_sampler(Json{{"name", name}, {"steps", 1}}); }, {name, "steps", "σ = 0"});
    expect_error([&] { make_sampler(Json{{"name", name}, {"schedule", "cosine"}}); }, {"cosine", "karras", "exponential", "vp", "uniform"});
    expect_error([&] { make_sampler(Json{{"name", name}, {"schedule", "vp"}, {"rho", 7}}); }, {"rho"});  // a karras key
    expect_error([&] { make_sampler(Json{{"name", name}, {"sigma_min", 2.0}, {"sigma_max", 1.0}}); }, {name, "sigma_max"});
  }
  expect_error([] { make_sampler(Json{{"name", "ddim"}, {"eta", 1.5}}); }, {"ddim", "eta"});
  expect_error([] { make_sampler(Json{{"name", "euler_ancestral"}, {"eta", -1}}); }, {"euler_ancestral", "eta"});
  expect_error([] { make_sampler(Json{{"name", "dpmpp_2m_sde"}, {"solver", "rk4"}}); }, {"rk4", "midpoint", "heun"});
  expect_error([] { make_sampler(Json{{"name", "dpmpp_3m_sde"}, {"s_noise", 0}}); }, {"s_noise"});
}

TEST(SamplerErrors, ScheduleOutsideTheSdesNoiseRangeIsRefused) {
  // vp's schedule starts at σ ≈ 152; ve's default range ends at σ̃(T) = 50.
  auto o = oracle2d("ve");
  auto gen = make_generator(0);
  expect_error([&] { make_sampler(Json{{"name", "dpmpp_2m"}, {"schedule", "vp"}})->sample(*o.model, *o.sde, 4, gen); },
               {"dpmpp_2m", "'vp'", "outside the SDE's range"});
  // σ-space samplers refuse a nonlinear SDE, naming it.
  auto cubic = make_sde("cubic");
  expect_error([&] { make_sampler("dpmpp_3m_sde")->sample(*o.model, *cubic, 4, gen); }, {"dpmpp_3m_sde", "affine", "cubic"});
}

TEST(SamplerErrors, LikelihoodRejectsBadOptionsAndDimensionMismatch) {
  auto o = oracle2d();
  auto gen = make_generator(0);
  auto x = at::zeros({4, 2});
  expect_error([&] { negative_log_likelihood(*o.model, *o.sde, x, Json{{"rtol", 0.0}}, gen); }, {"rtol", "> 0"});
  expect_error([&] { negative_log_likelihood(*o.model, *o.sde, x, Json{{"atol", -1.0}}, gen); }, {"atol"});
  expect_error([&] { negative_log_likelihood(*o.model, *o.sde, x, Json{{"divergence", "trace"}}, gen); }, {"trace", "hutchinson"});
  expect_error([&] { negative_log_likelihood(*o.model, *o.sde, x, Json{{"probes", 0}}, gen); }, {"probes"});
  expect_error([&] { negative_log_likelihood(*o.model, *o.sde, x, Json{{"probe", 3}}, gen); }, {"probe", "probes"});
  expect_error([&] { negative_log_likelihood(*o.model, *o.sde, at::zeros({4, 8}), Json::object(), gen); },
               {"(8)", "(2)", "dimension mismatch"});
}

TEST(SamplerErrors, OracleNeedsMixtureDataAndIsNotBuiltFromASpec) {
  expect_error([] { make_oracle_scorer(Json{{"name", "moons"}}, Json{{"name", "vp"}}); }, {"oracle", "mixture"});
  expect_error([] { make_model(Json{{"name", "oracle"}}, make_sde(Json{{"name", "vp"}}), {2}); }, {"oracle", "--data mixture:"});
  auto names = model_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "oracle"), names.end());
}

TEST(SamplerErrors, ProgressCallbackCancelsEverySampler) {
  for (const std::string sde : {"vp", "ve"}) {
    auto o = oracle2d(sde);
    for (const auto& name : sampler_names()) {
      auto gen = make_generator(0);
      int64_t calls = 0;
      auto stop = [&](int64_t, int64_t) { return ++calls < 3; };
      EXPECT_THROW(make_sampler(name)->sample(*o.model, *o.sde, 16, gen, stop), Cancelled) << name;
      EXPECT_EQ(calls, 3) << name;
    }
  }
  auto o = oracle2d();
  auto gen = make_generator(0);
  int64_t calls = 0;
  EXPECT_THROW(negative_log_likelihood(*o.model, *o.sde, at::zeros({4, 2}), Json::object(), gen,
                                       [&](int64_t, int64_t) { return ++calls < 2; }),
               Cancelled);
  EXPECT_EQ(calls, 2);
}

TEST(SamplerErrors, AdaptiveSolverReportsTheNfeItUsed) {
  auto o = oracle2d();
  auto run = [&](double tol) {
    auto gen = make_generator(0);
    return make_sampler(Json{{"name", "ode_rk45"}, {"rtol", tol}, {"atol", tol}})->sample(*o.model, *o.sde, 64, gen).nfe;
  };
  const int64_t loose = run(1e-2), tight = run(1e-6);
  std::printf("ode_rk45 NFE: rtol 1e-2 → %ld, rtol 1e-6 → %ld\n", static_cast<long>(loose), static_cast<long>(tight));
  EXPECT_GT(tight, 2 * loose);
  EXPECT_EQ((loose - 2) % 6, 0);  // 2 for the initial step choice, then 6 per attempt (FSAL)
}

}  // namespace

namespace {

// Runs the command line and returns its last stdout line (the JSON result).
std::string last_line_of(const std::string& command) {
  std::string out, line;
  if (FILE* p = popen((command + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  auto end = out.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  auto start = out.find_last_of('\n', end);
  return out.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

TEST(SamplerErrors, CommandLineNllChecksTheDimensionAndReportsJson) {
  const std::string dir = sk_test::test_dir();
  auto gen = make_generator(1);
  write_npy(dir + "/p2.npy", at::randn({20, 2}, gen));
  write_npy(dir + "/p3.npy", at::randn({20, 3}, gen));
  const std::string base = std::string(SCOREKIT_CLI) + " nll --threads 1 --model oracle --data mixture:" +
                           SCOREKIT_TEST_DATA + "/mixture2d.json --sde ve --input ";
  auto bad = Json::parse(last_line_of(base + dir + "/p3.npy"));
  ASSERT_TRUE(bad.contains("error")) << bad.dump();
  EXPECT_NE(bad["error"].get<std::string>().find("dimension mismatch"), std::string::npos) << bad.dump();
  auto good = Json::parse(last_line_of(base + dir + "/p2.npy --hutchinson 2"));
  ASSERT_TRUE(good.contains("nll_nats")) << good.dump();
  EXPECT_EQ(good["n"], 20);
  EXPECT_EQ(good["divergence"], "hutchinson");
  EXPECT_GT(good["nfe"].get<int64_t>(), 12);
  EXPECT_NEAR(good["bits_per_dim"].get<double>(), good["nll_nats"].get<double>() / (2 * std::log(2.0)), 1e-9);
}

}  // namespace
