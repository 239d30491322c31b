#pragma once
#include "samplers/sampler.hpp"

namespace scorekit {

// Probability-flow ODE with the classical 4th-order Runge–Kutta method: 4 NFE per step.
class OdeRk4 : public Sampler {
 public:
  explicit OdeRk4(const Json& spec);
  std::string name() const override { return "ode_rk4"; }
  Json spec() const override { return {{"name", "ode_rk4"}, {"steps", steps_}}; }
  SampleOutput sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                      const ProgressFn& progress) override;

 private:
  int64_t steps_;
};

}  // namespace scorekit
