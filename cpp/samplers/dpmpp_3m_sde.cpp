#include "samplers/dpmpp_3m_sde.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Dpmpp3mSde::Dpmpp3mSde(const Json& spec) : SigmaSampler("dpmpp_3m_sde") {
  SpecReader r(spec, "sampler 'dpmpp_3m_sde'");
  read_common(r, 35, "karras");
  eta_ = r.number("eta", 1.0);
  s_noise_ = r.positive("s_noise", 1.0);
  r.finish();
  if (eta_ < 0) throw Error("sampler 'dpmpp_3m_sde': eta must be >= 0");
}

void Dpmpp3mSde::write_options(Json& spec) const {
  spec["eta"] = eta_;
  spec["s_noise"] = s_noise_;
}

void Dpmpp3mSde::start() {
  denoised_1_ = denoised_2_ = at::Tensor();
  h_1_ = h_2_ = 0;
}

at::Tensor Dpmpp3mSde::update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) {
  const double s = step.sigma(), s_next = step.next();
  auto denoised = view.denoise(x, s);
  at::Tensor out;
  double h = 0;
  if (s_next == 0) {
    out = denoised;
  } else {
    h = std::log(s / s_next);
    const double h_eta = h * (eta_ + 1);
    out = std::exp(-h_eta) * x - std::expm1(-h_eta) * denoised;
    const double phi_2 = std::expm1(-h_eta) / h_eta + 1;
    if (h_2_ > 0) {
      const double r0 = h_1_ / h, r1 = h_2_ / h;
      auto d1_0 = (denoised - denoised_1_) / r0;
      auto d1_1 = (denoised_1_ - denoised_2_) / r1;
      auto d1 = d1_0 + (d1_0 - d1_1) * (r0 / (r0 + r1));
      auto d2 = (d1_0 - d1_1) / (r0 + r1);
      const double phi_3 = phi_2 / h_eta - 0.5;
      out = out + phi_2 * d1 - phi_3 * d2;
    } else if (h_1_ > 0) {
      out = out + phi_2 * (denoised - denoised_1_) / (h_1_ / h);
    }
    if (eta_ != 0)
      out = out + noise.normal(x.sizes(), x.options()) * (s_next * std::sqrt(-std::expm1(-2 * h * eta_)) * s_noise_);
  }
  denoised_2_ = denoised_1_;
  denoised_1_ = denoised;
  h_2_ = h_1_;
  h_1_ = h;
  return out;
}

}  // namespace scorekit
