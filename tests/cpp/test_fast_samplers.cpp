// The σ-space samplers against truth: noise schedules against their closed forms, the deterministic
// samplers' convergence order against the exact probability-flow map of a Gaussian, and DDIM's
// update against the ancestral step it equals in the σ view.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "samplers/noise_schedule.hpp"
#include "samplers/sampler.hpp"
#include "samplers/sigma_sampler.hpp"
#include "train/scorer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

Scorer oracle(const Json& data, const Json& sde) { return make_oracle_scorer(data, sde); }

Json mixture2d() { return {{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/mixture2d.json"}}; }

TEST(NoiseSchedules, MatchTheirClosedForms) {
  // Karras: endpoints exact; ρ = 1 is evenly spaced in σ, ρ → large approaches geometric.
  auto k = karras_sigmas(5, 0.1, 10, 1.0);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(k[i], 10 - i * (9.9 / 4), 1e-12);
  auto k7 = karras_sigmas(18, 0.002, 80, 7.0);
  EXPECT_NEAR(k7.front(), 80, 1e-10);
  EXPECT_NEAR(k7.back(), 0.002, 1e-14);
  // EDM's own ladder at i = 9 of 18: (80^{1/7} + 9/17 (0.002^{1/7} − 80^{1/7}))^7.
  EXPECT_NEAR(k7[9], std::pow(std::pow(80.0, 1 / 7.0) + 9 / 17.0 * (std::pow(0.002, 1 / 7.0) - std::pow(80.0, 1 / 7.0)), 7), 1e-12);
  // Exponential: constant ratio.
  auto e = exponential_sigmas(6, 0.01, 100);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(e[i + 1] / e[i], std::pow(1e-4, 1 / 5.0), 1e-12);
  // vp: the default VP SDE's own σ̃(t) = √(exp(∫β) − 1) at t from 1 to eps_s.
  auto vp = vp_sigmas(4, 19.9, 0.1, 1e-3);
  for (int i = 0; i < 4; ++i) {
    const double t = 1 + i * (1e-3 - 1) / 3;
    EXPECT_NEAR(vp[i], std::sqrt(std::exp(0.1 * t + 19.9 * t * t / 2) - 1), 1e-9 * vp[i]);
  }
  // uniform: on ve, σ̃(t) at evenly spaced t; on vp it coincides with the vp schedule.
  auto o = oracle(mixture2d(), Json{{"name", "ve"}, {"sigma_min", 0.01}, {"sigma_max", 50}, {"eps", 1e-5}});
  SigmaView view(*o.model, *o.sde, "test");
  auto u = uniform_time_sigmas(3, view);
  for (int i = 0; i < 3; ++i) {
    const double t = 1 + i * (1e-5 - 1) / 2, s = 0.01 * std::pow(5000.0, t);
    EXPECT_NEAR(u[i], std::sqrt(s * s - 1e-4), 1e-9 * u[i]);
  }
  auto ovp = oracle(mixture2d(), Json{{"name", "vp"}});
  SigmaView vp_view(*ovp.model, *ovp.sde, "test");
  auto uvp = uniform_time_sigmas(7, vp_view), svp = vp_sigmas(7, 19.9, 0.1, 1e-3);
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(uvp[i], svp[i], 1e-9 * svp[i]);
}

TEST(NoiseSchedules, SamplersWalkTheNamedLadderAndEndAtZero) {
  auto o = oracle(mixture2d(), Json("edm"));
  SigmaView view(*o.model, *o.sde, "test");
  auto s = make_sampler(Json{{"name", "dpmpp_2m"}, {"steps", 10}, {"schedule", "exponential"}});
  auto ladder = std::dynamic_pointer_cast<SigmaSampler>(s)->ladder(view);
  ASSERT_EQ(ladder.size(), 11u);
  auto expected = exponential_sigmas(10, 0.002, 80);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(ladder[i], expected[i], 1e-12 * expected[i]);
  EXPECT_EQ(ladder.back(), 0.0);
  auto no_denoise = make_sampler(Json{{"name", "dpmpp_2m"}, {"steps", 10}, {"denoise", false}, {"sigma_min", 0.1}});
  auto l2 = std::dynamic_pointer_cast<SigmaSampler>(no_denoise)->ladder(view);
  ASSERT_EQ(l2.size(), 11u);
  EXPECT_NEAR(l2.back(), 0.1, 1e-12);
  // The spec names the schedule and round-trips.
  EXPECT_EQ(make_sampler(s->spec())->spec(), s->spec());
  EXPECT_EQ(s->spec()["schedule"], "exponential");
}

// For data N(μ, s² I) the probability-flow ODE in the σ view keeps (x̃ − μ)/√(s² + σ²) constant, so
// the exact map from σ_max to σ_min is known: each deterministic sampler's error against it falls
// at the method's order as steps double.
TEST(SigmaSamplerOrder, DeterministicSamplersConvergeAtTheirOrder) {
  const double mu = 1.0, sd = 0.5, smin = 0.05, smax = 10.0;
  Json gaussian = {{"name", "mixture"}, {"weights", Json::array({1.0})}, {"means", Json::array({Json::array({mu, mu})})},
                   {"stds", Json::array({sd})}};
  auto o = oracle(gaussian, Json{{"name", "edm"}, {"sigma_max", smax}});
  const int64_t n = 256;
  auto start_gen = make_generator(3);
  auto start = o.sde->prior_sample({n, 2}, start_gen).to(at::kDouble);  // the samplers' own first draw
  auto exact = mu + (start - mu) * (std::sqrt(sd * sd + smin * smin) / std::sqrt(sd * sd + smax * smax));
  auto error = [&](Json spec, int64_t steps) {
    spec["steps"] = steps;
    spec["denoise"] = false;
    spec["sigma_min"] = smin;
    auto gen = make_generator(3);
    auto x = make_sampler(spec)->sample(*o.model, *o.sde, n, gen).x.to(at::kDouble);
    return (x - exact).abs().max().item<double>();
  };
  struct Expect {
    Json spec;
    double low, high;  // bounds on the observed order log2(e(16)/e(32))
  };
  // A multistep method's first steps have lower order; their local error is global, so 3M's observed
  // order lies between 2 and 3 at these step counts (its accuracy must still beat 2M's).
  const std::vector<Expect> cases = {
      {{{"name", "ddim"}, {"schedule", "karras"}}, 0.7, 1.4},
      {{{"name", "euler_ancestral"}, {"eta", 0.0}}, 0.7, 1.4},
      {{{"name", "edm_heun"}}, 1.6, 2.6},
      {{{"name", "dpmpp_2m"}}, 1.6, 2.6},
      {{{"name", "dpmpp_2m_sde"}, {"eta", 0.0}}, 1.6, 2.6},
      {{{"name", "dpmpp_3m_sde"}, {"eta", 0.0}}, 1.8, 3.6},
  };
  std::map<std::string, double> at32;
  for (const auto& c : cases) {
    const double e1 = error(c.spec, 8), e2 = error(c.spec, 16), e3 = error(c.spec, 32);
    const double order = std::log2(e2 / e3);
    at32[c.spec["name"].get<std::string>()] = e3;
    std::printf("%-50s error at 8/16/32 steps: %.3e %.3e %.3e, observed order %.2f\n", c.spec.dump().c_str(), e1, e2,
                e3, order);
    EXPECT_LT(e3, e2);
    EXPECT_GT(order, c.low) << c.spec.dump();
    EXPECT_LT(order, c.high) << c.spec.dump();
  }
  EXPECT_LT(at32["dpmpp_3m_sde"], at32["dpmpp_2m"]);
  EXPECT_LT(at32["dpmpp_2m"], at32["ddim"]);
}

TEST(SigmaSamplerOrder, DdimIsTheAncestralStepInTheSigmaView) {
  // DDIM's σ_t(η) divided by √ᾱ_{t−1} is k-diffusion's σ_up: same schedule, same seed, same samples.
  auto o = oracle(mixture2d(), Json("vp"));
  for (double eta : {0.0, 0.5, 1.0}) {
    auto g1 = make_generator(8), g2 = make_generator(8);
    Json common = {{"steps", 20}, {"eta", eta}, {"schedule", "karras"}};
    Json a = common, b = common;
    a["name"] = "ddim";
    b["name"] = "euler_ancestral";
    auto xa = make_sampler(a)->sample(*o.model, *o.sde, 500, g1).x;
    auto xb = make_sampler(b)->sample(*o.model, *o.sde, 500, g2).x;
    EXPECT_TRUE(at::allclose(xa, xb, 1e-4, 1e-4)) << "eta " << eta << ": " << (xa - xb).abs().max().item<double>();
  }
}

}  // namespace
