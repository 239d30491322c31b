#pragma once
#include "samplers/sampler.hpp"

namespace scorekit {

// Probability-flow ODE with Heun's method (explicit trapezoid, 2nd order): 2 NFE per step.
class OdeHeun : public Sampler {
 public:
  explicit OdeHeun(const Json& spec);
  std::string name() const override { return "ode_heun"; }
  Json spec() const override { return {{"name", "ode_heun"}, {"steps", steps_}}; }
  SampleOutput sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                      const ProgressFn& progress) override;

 private:
  int64_t steps_;
};

}  // namespace scorekit
