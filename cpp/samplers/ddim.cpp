#include "samplers/ddim.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Ddim::Ddim(const Json& spec) : SigmaSampler("ddim") {
  SpecReader r(spec, "sampler 'ddim'");
  read_common(r, 50, "uniform");
  eta_ = r.number("eta", 0.0);
  r.finish();
  if (eta_ < 0 || eta_ > 1) throw Error("sampler 'ddim': eta must be in [0, 1]");
}

at::Tensor Ddim::update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) {
  const double s = step.sigma(), s_next = step.next();
  auto x0 = view.denoise(x, s);
  if (s_next == 0) return x0;
  auto eps = (x - x0) / s;
  const double s_eta = eta_ * s_next * std::sqrt(s * s - s_next * s_next) / s;
  auto out = x0 + std::sqrt(std::max(0.0, s_next * s_next - s_eta * s_eta)) * eps;
  if (s_eta > 0) out = out + s_eta * noise.normal(x.sizes(), x.options());
  return out;
}

}  // namespace scorekit
