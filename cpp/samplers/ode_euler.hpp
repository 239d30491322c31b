#pragma once
#include "samplers/time_grid_sampler.hpp"

namespace scorekit {

// Probability-flow ODE dx/dt = f - ½ g² s, integrated from T to eps with fixed Euler steps.
class OdeEuler : public TimeGridSampler {
 public:
  explicit OdeEuler(const Json& spec);
  std::string name() const override { return "ode_euler"; }
  Json spec() const override { return {{"name", "ode_euler"}, {"steps", steps_}}; }

 protected:
  at::Tensor update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool last,
                    NoiseSource& noise) override;
};

}  // namespace scorekit
