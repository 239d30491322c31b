#include "samplers/dpmpp_2m.hpp"

#include <cmath>

namespace scorekit {

Dpmpp2m::Dpmpp2m(const Json& spec) : SigmaSampler("dpmpp_2m") {
  SpecReader r(spec, "sampler 'dpmpp_2m'");
  read_common(r, 20, "karras");
  r.finish();
}

at::Tensor Dpmpp2m::update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource&) {
  const double s = step.sigma(), s_next = step.next();
  auto denoised = view.denoise(x, s);
  at::Tensor out;
  if (s_next == 0) {
    out = denoised;  // the limit h → ∞ of the update below
  } else {
    const double h = std::log(s / s_next);
    at::Tensor d = denoised;
    if (old_denoised_.defined()) {
      const double r = std::log(step.previous() / s) / h;
      d = (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * old_denoised_;
    }
    out = (s_next / s) * x - std::expm1(-h) * d;
  }
  old_denoised_ = denoised;
  return out;
}

}  // namespace scorekit
