#pragma once
#include "samplers/time_grid_sampler.hpp"

namespace scorekit {

// Probability-flow ODE with Heun's method (explicit trapezoid, 2nd order): 2 NFE per step.
class OdeHeun : public TimeGridSampler {
 public:
  explicit OdeHeun(const Json& spec);
  std::string name() const override { return "ode_heun"; }
  Json spec() const override { return {{"name", "ode_heun"}, {"steps", steps_}}; }

 protected:
  at::Tensor update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool last,
                    NoiseSource& noise) override;
};

}  // namespace scorekit
