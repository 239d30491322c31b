#include "samplers/dpmpp_2m_sde.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Dpmpp2mSde::Dpmpp2mSde(const Json& spec) : SigmaSampler("dpmpp_2m_sde") {
  SpecReader r(spec, "sampler 'dpmpp_2m_sde'");
  read_common(r, 35, "karras");
  eta_ = r.number("eta", 1.0);
  s_noise_ = r.positive("s_noise", 1.0);
  heun_ = r.choice("solver", "midpoint", {"midpoint", "heun"}) == "heun";
  r.finish();
  if (eta_ < 0) throw Error("sampler 'dpmpp_2m_sde': eta must be >= 0");
}

void Dpmpp2mSde::write_options(Json& spec) const {
  spec["eta"] = eta_;
  spec["s_noise"] = s_noise_;
  spec["solver"] = heun_ ? "heun" : "midpoint";
}

void Dpmpp2mSde::start() {
  old_denoised_ = at::Tensor();
  h_last_ = 0;
}

at::Tensor Dpmpp2mSde::update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) {
  const double s = step.sigma(), s_next = step.next();
  auto denoised = view.denoise(x, s);
  at::Tensor out;
  if (s_next == 0) {
    out = denoised;
  } else {
    const double h = std::log(s / s_next), eta_h = eta_ * h;
    const double phi = -std::expm1(-h - eta_h);  // 1 − e^{−(1+η)h}
    out = (s_next / s * std::exp(-eta_h)) * x + phi * denoised;
    if (old_denoised_.defined()) {
      const double r = h_last_ / h;
      const double c = heun_ ? (phi / (-h - eta_h) + 1) / r : 0.5 * phi / r;
      out = out + c * (denoised - old_denoised_);
    }
    if (eta_ != 0)
      out = out + noise.normal(x.sizes(), x.options()) * (s_next * std::sqrt(-std::expm1(-2 * eta_h)) * s_noise_);
    h_last_ = h;
  }
  old_denoised_ = denoised;
  return out;
}

}  // namespace scorekit
