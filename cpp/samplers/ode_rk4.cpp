#include "samplers/ode_rk4.hpp"

namespace scorekit {

OdeRk4::OdeRk4(const Json& spec) : TimeGridSampler(0) {
  SpecReader r(spec, "sampler 'ode_rk4'");
  steps_ = r.positive_integer("steps", 50);
  r.finish();
}

at::Tensor OdeRk4::update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool, NoiseSource&) {
  const double h = t1 - t0;
  auto k1 = reverse.velocity(x, t0);
  auto k2 = reverse.velocity(x + 0.5 * h * k1, t0 + 0.5 * h);
  auto k3 = reverse.velocity(x + 0.5 * h * k2, t0 + 0.5 * h);
  auto k4 = reverse.velocity(x + h * k3, t1);
  return x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
}

}  // namespace scorekit
