#include "samplers/ode_euler.hpp"

namespace scorekit {

OdeEuler::OdeEuler(const Json& spec) : TimeGridSampler(0) {
  SpecReader r(spec, "sampler 'ode_euler'");
  steps_ = r.positive_integer("steps", 500);
  r.finish();
}

at::Tensor OdeEuler::update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool, NoiseSource&) {
  return x + reverse.velocity(x, t0) * (t1 - t0);
}

}  // namespace scorekit
