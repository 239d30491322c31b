// Convergence order of the fixed-step PF-ODE solvers on the oracle ODE: from the same starting
// noise, the error against a tight RK45 solution falls like h (Euler), h² (Heun), h⁴ (RK4).
#include <gtest/gtest.h>

#include <cmath>

#include "samplers/dormand_prince.hpp"
#include "samplers/reverse_process.hpp"
#include "samplers/sampler.hpp"
#include "train/scorer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

TEST(OdeOrder, HeunAndRk4ErrorsFallFasterThanEulers) {
  // VE with sigma_max 5 keeps the ODE smooth enough that a few dozen steps are in the asymptotic
  // regime; the oracle is evaluated in double precision, so the reference is accurate to ~1e-9.
  auto o = make_oracle_scorer(Json{{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/mixture2d.json"}},
                              Json{{"name", "ve"}, {"sigma_max", 5.0}, {"eps", 1e-2}});
  const int64_t n = 200;
  auto start_gen = make_generator(3);
  auto x0 = o.sde->prior_sample({n, 2}, start_gen).to(at::kDouble);
  auto v = [&](double t, const at::Tensor& y) {
    return probability_flow(*o.model, *o.sde, y, at::full({n}, t, at::kDouble));
  };
  DormandPrinceOptions tight;
  tight.rtol = tight.atol = 1e-10;
  auto ref = dormand_prince(v, x0, o.sde->T(), o.sde->eps(), tight).y;
  auto error = [&](const std::string& name, int64_t steps) {
    auto gen = make_generator(3);  // the samplers draw the same starting noise
    auto x = make_sampler(Json{{"name", name}, {"steps", steps}})->sample(*o.model, *o.sde, n, gen).x;
    return (x.to(at::kDouble) - ref).pow(2).sum(1).sqrt().mean().item<double>();
  };
  std::map<std::string, double> slope;
  for (const std::string name : {"ode_euler", "ode_heun", "ode_rk4"}) {
    const double e1 = error(name, 20), e2 = error(name, 40), e3 = error(name, 80);
    slope[name] = std::log2(e2 / e3);
    std::printf("%-10s error at 20/40/80 steps: %.3e %.3e %.3e, observed order %.2f\n", name.c_str(), e1, e2, e3,
                slope[name]);
    EXPECT_LT(e3, e1);
  }
  EXPECT_NEAR(slope["ode_euler"], 1.0, 0.3);
  EXPECT_GT(slope["ode_heun"], slope["ode_euler"] + 0.7);
  EXPECT_GT(slope["ode_rk4"], slope["ode_heun"] + 0.7);
}

}  // namespace
