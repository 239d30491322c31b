#include "sde/sde.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

AffineMarginal Sde::marginal(const at::Tensor&) const {
  throw Error("SDE '" + name() + "' is not affine: it has no closed-form marginal p(x_t | x_0)");
}

std::pair<at::Tensor, at::Tensor> Sde::perturb(const at::Tensor& x0, const at::Tensor& t,
                                               at::Generator& gen) const {
  auto m = marginal(t);
  auto z = randn(x0.sizes(), gen, x0.options());
  return {per_sample(m.alpha, x0) * x0 + per_sample(m.sigma, x0) * z, z};
}

at::Tensor gaussian_log_prob(const at::Tensor& x, double std) {
  const double d = static_cast<double>(x.numel() / x.size(0));
  return -0.5 * sum_per_sample(x * x) / (std * std) - d * (std::log(std) + 0.5 * std::log(2 * M_PI));
}

}  // namespace scorekit
