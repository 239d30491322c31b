#include "sde/vp_sde.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

VpSde::VpSde(const Json& spec, bool sub) : sub_(sub) {
  SpecReader r(spec, std::string("sde '") + (sub ? "subvp" : "vp") + "'");
  beta_min_ = r.positive("beta_min", 0.1);
  beta_max_ = r.positive("beta_max", 20.0);
  eps_ = r.positive("eps", 1e-3);
  r.finish();
  if (beta_max_ < beta_min_) throw Error("sde '" + name() + "': beta_max must be >= beta_min");
  if (eps_ >= 1) throw Error("sde '" + name() + "': eps must be in (0, 1)");
}

Json VpSde::spec() const {
  return {{"name", name()}, {"beta_min", beta_min_}, {"beta_max", beta_max_}, {"eps", eps_}};
}

at::Tensor VpSde::beta(const at::Tensor& t) const { return beta_min_ + t * (beta_max_ - beta_min_); }

at::Tensor VpSde::beta_integral(const at::Tensor& t) const {
  return beta_min_ * t + 0.5 * (beta_max_ - beta_min_) * t * t;
}

at::Tensor VpSde::drift(const at::Tensor& x, const at::Tensor& t) const {
  return -0.5 * per_sample(beta(t), x) * x;
}

at::Tensor VpSde::diffusion(const at::Tensor& t) const {
  if (!sub_) return beta(t).sqrt();
  return (beta(t) * (1 - at::exp(-2 * beta_integral(t)))).clamp_min(0).sqrt();
}

at::Tensor VpSde::g2_integral(const at::Tensor& s, const at::Tensor& t) const {
  auto Bt = beta_integral(t), Bs = beta_integral(s);
  if (!sub_) return Bt - Bs;
  // d/dτ [B + exp(-2B)/2] = beta (1 - exp(-2B)).
  return (Bt + 0.5 * at::exp(-2 * Bt)) - (Bs + 0.5 * at::exp(-2 * Bs));
}

AffineMarginal VpSde::marginal(const at::Tensor& t) const {
  auto alpha = at::exp(-0.5 * beta_integral(t));
  auto one_minus = (1 - alpha * alpha).clamp_min(0);
  return {alpha, sub_ ? one_minus : one_minus.sqrt()};
}

at::Tensor VpSde::prior_sample(at::IntArrayRef shape, at::Generator& gen) const {
  return randn(shape, gen, at::TensorOptions());
}

at::Tensor VpSde::prior_log_prob(const at::Tensor& x) const { return gaussian_log_prob(x, 1.0); }

}  // namespace scorekit
