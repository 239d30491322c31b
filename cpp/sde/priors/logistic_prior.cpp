#include "sde/priors/logistic_prior.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

LogisticPrior::LogisticPrior(const Json& spec) {
  SpecReader r(spec, "prior 'logistic'");
  loc_ = r.number("loc", 0.0);
  scale_ = r.positive("scale", 0.5);
  r.finish();
}

at::Tensor LogisticPrior::sample(at::IntArrayRef shape, at::Generator& gen) const {
  // Inverse CDF; the clamp keeps log finite in float.
  auto u = at::rand(shape, gen, on_generator(gen)).cpu().clamp(1e-7, 1 - 1e-7);
  return loc_ + scale_ * (u.log() - (-u).log1p());
}

at::Tensor LogisticPrior::log_density(const at::Tensor& x) const {
  auto z = (x - loc_) / scale_;
  return -z - 2 * at::softplus(-z) - std::log(scale_);
}

at::Tensor LogisticPrior::score(const at::Tensor& x) const { return -at::tanh(0.5 * (x - loc_) / scale_) / scale_; }

at::Tensor LogisticPrior::score_derivative(const at::Tensor& x) const {
  auto th = at::tanh(0.5 * (x - loc_) / scale_);
  return -(1 - th * th) / (2 * scale_ * scale_);
}

}  // namespace scorekit
