#include "sde/priors/quartic_prior.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

QuarticPrior::QuarticPrior(double q4, double q2) : q4_(q4), q2_(q2) {
  if (!(q4 > 0)) throw Error("quartic prior: the quartic coefficient must be positive");
  // Potential minimum and a half-width where it has risen by 40 above it.
  const double umin = q2 < 0 ? -q2 * q2 / (4 * q4) : 0.0;
  double L = 1.0;
  while (q4 * std::pow(L, 4) + q2 * L * L < umin + 40) L *= 1.2;
  const int64_t n = 20001;
  auto dbl = at::TensorOptions().dtype(at::kDouble);
  grid_ = at::linspace(-L, L, n, dbl);
  auto u = -(q4_ * grid_.pow(4) + q2_ * grid_.pow(2)) + umin;  // log density up to a constant, <= 0
  auto p = u.exp();
  const double dx = 2 * L / (n - 1);
  auto trap = 0.5 * (p.slice(0, 1) + p.slice(0, 0, n - 1)) * dx;
  cdf_ = at::cat({at::zeros({1}, dbl), trap.cumsum(0)});
  const double z = cdf_[-1].item<double>();
  cdf_ = cdf_ / z;
  log_normaliser_ = std::log(z) - umin;
}

at::Tensor QuarticPrior::sample(at::IntArrayRef shape, at::Generator& gen) const {
  auto u = at::rand(shape, gen, on_generator(gen, at::kDouble)).cpu().reshape({-1});
  auto hi = at::searchsorted(cdf_, u).clamp(1, cdf_.size(0) - 1);
  auto lo = hi - 1;
  auto c0 = cdf_.index_select(0, lo), c1 = cdf_.index_select(0, hi);
  auto x0 = grid_.index_select(0, lo), x1 = grid_.index_select(0, hi);
  auto w = ((u - c0) / (c1 - c0).clamp_min(1e-300)).clamp(0, 1);
  return (x0 + w * (x1 - x0)).to(at::kFloat).reshape(shape);
}

at::Tensor QuarticPrior::log_density(const at::Tensor& x) const {
  return -(q4_ * x.pow(4) + q2_ * x.pow(2)) - log_normaliser_;
}

at::Tensor QuarticPrior::score(const at::Tensor& x) const { return -(4 * q4_ * x.pow(3) + 2 * q2_ * x); }

at::Tensor QuarticPrior::score_derivative(const at::Tensor& x) const { return -(12 * q4_ * x.pow(2) + 2 * q2_); }

}  // namespace scorekit
