#include "samplers/euler_ancestral.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

EulerAncestral::EulerAncestral(const Json& spec) : SigmaSampler("euler_ancestral") {
  SpecReader r(spec, "sampler 'euler_ancestral'");
  read_common(r, 35, "karras");
  eta_ = r.number("eta", 1.0);
  s_noise_ = r.positive("s_noise", 1.0);
  r.finish();
  if (eta_ < 0) throw Error("sampler 'euler_ancestral': eta must be >= 0");
}

void EulerAncestral::write_options(Json& spec) const {
  spec["eta"] = eta_;
  spec["s_noise"] = s_noise_;
}

at::Tensor EulerAncestral::update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) {
  const double s = step.sigma(), s_next = step.next();
  const auto a = ancestral_step(s, s_next, eta_);
  auto d = (x - view.denoise(x, s)) / s;
  auto out = x + d * (a.down - s);
  if (s_next > 0) out = out + noise.normal(x.sizes(), x.options()) * (s_noise_ * a.up);
  return out;
}

}  // namespace scorekit
