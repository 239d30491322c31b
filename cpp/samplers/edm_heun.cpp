#include "samplers/edm_heun.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

EdmHeun::EdmHeun(const Json& spec) : SigmaSampler("edm_heun") {
  SpecReader r(spec, "sampler 'edm_heun'");
  read_common(r, 18, "karras");
  s_churn_ = r.number("s_churn", 0.0);
  s_tmin_ = r.number("s_tmin", 0.0);
  s_tmax_ = r.number("s_tmax", 1e30);
  s_noise_ = r.positive("s_noise", 1.0);
  r.finish();
  if (s_churn_ < 0) throw Error("sampler 'edm_heun': s_churn must be >= 0");
}

void EdmHeun::write_options(Json& spec) const {
  spec["s_churn"] = s_churn_;
  spec["s_tmin"] = s_tmin_;
  spec["s_tmax"] = s_tmax_;
  spec["s_noise"] = s_noise_;
}

at::Tensor EdmHeun::update(SigmaView& view, const at::Tensor& x_in, const SigmaStep& step, NoiseSource& noise) {
  at::Tensor x = x_in;
  double s = step.sigma();
  const double s_next = step.next();
  const double gamma = std::min(s_churn_ / steps_, std::sqrt(2.0) - 1);
  // With churn, one normal draw per step whether or not this σ churns, as in EDM's and k-diffusion's
  // loops: the same noise then gives the same run here and there.
  const at::Tensor eps = gamma > 0 ? noise.normal(x.sizes(), x.options()) : at::Tensor();
  if (gamma > 0 && s >= s_tmin_ && s <= s_tmax_) {
    const double s_hat = std::min(s * (1 + gamma), view.sigma_max());  // the model knows no σ above σ̃(T)
    x = x + std::sqrt(std::max(0.0, s_hat * s_hat - s * s)) * s_noise_ * eps;
    s = s_hat;
  }
  auto d = (x - view.denoise(x, s)) / s;
  auto x_next = x + (s_next - s) * d;
  if (s_next > 0) {  // 2nd-order correction
    auto d2 = (x_next - view.denoise(x_next, s_next)) / s_next;
    x_next = x + (s_next - s) * 0.5 * (d + d2);
  }
  return x_next;
}

}  // namespace scorekit
