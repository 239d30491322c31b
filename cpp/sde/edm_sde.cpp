#include "sde/edm_sde.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

EdmSde::EdmSde(const Json& spec) {
  SpecReader r(spec, "sde 'edm'");
  eps_ = r.positive("sigma_min", 0.002);
  T_ = r.positive("sigma_max", 80.0);
  r.finish();
  if (!(T_ > eps_)) throw Error("sde 'edm': sigma_max must exceed sigma_min");
}

Json EdmSde::spec() const { return {{"name", "edm"}, {"sigma_min", eps_}, {"sigma_max", T_}}; }

at::Tensor EdmSde::drift(const at::Tensor& x, const at::Tensor&) const { return at::zeros_like(x); }

at::Tensor EdmSde::drift_jacobian_diagonal(const at::Tensor& x, const at::Tensor&) const { return at::zeros_like(x); }

at::Tensor EdmSde::diffusion(const at::Tensor& t) const { return (2 * t).sqrt(); }

at::Tensor EdmSde::g2_integral(const at::Tensor& s, const at::Tensor& t) const { return t * t - s * s; }

at::Tensor EdmSde::g2_integral_start(const at::Tensor& t, double lambda) const {
  return (t * t - lambda).clamp_min(0).sqrt();
}

AffineMarginal EdmSde::marginal(const at::Tensor& t) const { return {at::ones_like(t), t}; }

at::Tensor EdmSde::prior_sample(at::IntArrayRef shape, at::Generator& gen) const {
  return randn(shape, gen, at::TensorOptions()) * T_;
}

at::Tensor EdmSde::prior_log_prob(const at::Tensor& x) const { return gaussian_log_prob(x, T_); }

}  // namespace scorekit
