#pragma once
#include "samplers/time_grid_sampler.hpp"

namespace scorekit {

// Probability-flow ODE with the classical 4th-order Runge–Kutta method: 4 NFE per step.
class OdeRk4 : public TimeGridSampler {
 public:
  explicit OdeRk4(const Json& spec);
  std::string name() const override { return "ode_rk4"; }
  Json spec() const override { return {{"name", "ode_rk4"}, {"steps", steps_}}; }

 protected:
  at::Tensor update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool last,
                    NoiseSource& noise) override;
};

}  // namespace scorekit
