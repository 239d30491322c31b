#pragma once
#include "samplers/sampler.hpp"

namespace scorekit {

// Probability-flow ODE dx/dt = f - ½ g² s, integrated from T to eps with fixed Euler steps.
class OdeEuler : public Sampler {
 public:
  explicit OdeEuler(const Json& spec);
  std::string name() const override { return "ode_euler"; }
  Json spec() const override { return {{"name", "ode_euler"}, {"steps", steps_}}; }
  SampleOutput sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                      const ProgressFn& progress) override;

 private:
  int64_t steps_;
};

// The probability-flow velocity f(x,t) - ½ g(t)² s(x,t).
at::Tensor probability_flow(ScoreModel& model, const Sde& sde, const at::Tensor& x, const at::Tensor& t);

}  // namespace scorekit
