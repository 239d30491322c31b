#include "samplers/ode_heun.hpp"

namespace scorekit {

OdeHeun::OdeHeun(const Json& spec) : TimeGridSampler(0) {
  SpecReader r(spec, "sampler 'ode_heun'");
  steps_ = r.positive_integer("steps", 100);
  r.finish();
}

at::Tensor OdeHeun::update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool, NoiseSource&) {
  const double h = t1 - t0;
  auto v0 = reverse.velocity(x, t0);
  auto v1 = reverse.velocity(x + h * v0, t1);
  return x + 0.5 * h * (v0 + v1);
}

}  // namespace scorekit
