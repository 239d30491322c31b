#include "sde/ve_sde.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

VeSde::VeSde(const Json& spec) {
  SpecReader r(spec, "sde 've'");
  sigma_min_ = r.positive("sigma_min", 0.01);
  sigma_max_ = r.positive("sigma_max", 50.0);
  eps_ = r.positive("eps", 1e-5);
  r.finish();
  if (sigma_max_ <= sigma_min_) throw Error("sde 've': sigma_max must exceed sigma_min");
  if (eps_ >= 1) throw Error("sde 've': eps must be in (0, 1)");
}

Json VeSde::spec() const {
  return {{"name", "ve"}, {"sigma_min", sigma_min_}, {"sigma_max", sigma_max_}, {"eps", eps_}};
}

at::Tensor VeSde::sigma_of_t(const at::Tensor& t) const {
  return sigma_min_ * at::pow(sigma_max_ / sigma_min_, t);
}

at::Tensor VeSde::drift(const at::Tensor& x, const at::Tensor&) const { return at::zeros_like(x); }

at::Tensor VeSde::diffusion(const at::Tensor& t) const {
  return sigma_of_t(t) * std::sqrt(2 * std::log(sigma_max_ / sigma_min_));
}

at::Tensor VeSde::g2_integral(const at::Tensor& s, const at::Tensor& t) const {
  return sigma_of_t(t).pow(2) - sigma_of_t(s).pow(2);
}

AffineMarginal VeSde::marginal(const at::Tensor& t) const {
  auto var = (sigma_of_t(t).pow(2) - sigma_min_ * sigma_min_).clamp_min(0);
  return {at::ones_like(t), var.sqrt()};
}

double VeSde::prior_std() const { return std::sqrt(sigma_max_ * sigma_max_ - sigma_min_ * sigma_min_); }

at::Tensor VeSde::prior_sample(at::IntArrayRef shape, at::Generator& gen) const {
  return randn(shape, gen, at::TensorOptions()) * prior_std();
}

at::Tensor VeSde::prior_log_prob(const at::Tensor& x) const { return gaussian_log_prob(x, prior_std()); }

}  // namespace scorekit
