#include "samplers/euler_maruyama.hpp"

#include "util/tensor_ops.hpp"

namespace scorekit {

EulerMaruyama::EulerMaruyama(const Json& spec) : TimeGridSampler(0) {
  SpecReader r(spec, "sampler 'em'");
  steps_ = r.positive_integer("steps", 500);
  denoise_ = r.boolean("denoise", true);
  r.finish();
}

at::Tensor EulerMaruyama::update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool last,
                                 NoiseSource& noise) {
  auto s = reverse.step(x, t0, t1, ReverseNoise::EulerMaruyama);
  if (last && denoise_) return s.mean;
  return s.mean + s.noise_std * noise.normal(x.sizes(), x.options());
}

}  // namespace scorekit
