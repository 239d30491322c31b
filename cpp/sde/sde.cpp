#include "sde/sde.hpp"

#include <cmath>

#include <torch/csrc/autograd/autograd.h>

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

at::Tensor Sde::drift_jacobian_diagonal(const at::Tensor& x, const at::Tensor& t) const {
  // For an element-wise drift, ∂/∂x_i Σ_j f_j = ∂f_i/∂x_i.
  at::AutoGradMode enable(true);
  auto xg = x.detach().requires_grad_(true);
  auto f = drift(xg, t.detach());
  // A drift that ignores x (VE's zero drift) builds no graph: its Jacobian is zero.
  if (!f.requires_grad()) return at::zeros_like(x);
  auto g = torch::autograd::grad({f.sum()}, {xg}, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                 /*allow_unused=*/true)[0];
  return g.defined() ? g.detach() : at::zeros_like(x);
}

at::Tensor Sde::drift_jvp(const at::Tensor& x, const at::Tensor& t, const at::Tensor& v) const {
  if (!drift_is_elementwise())
    throw Error("SDE '" + name() + "' has a coupled drift and must override drift_jvp");
  return drift_jacobian_diagonal(x, t) * v;
}

at::Tensor Sde::simulate(const at::Tensor& xs, const at::Tensor& s, const at::Tensor& t, at::Generator& gen,
                         int64_t steps) const {
  const int64_t K = steps;
  auto dt = (t - s) / static_cast<double>(K);
  auto dt_x = per_sample(dt, xs);
  auto x = xs;
  for (int64_t k = 0; k < K; ++k) {
    auto tau = s + dt * static_cast<double>(k);
    // The noise over a step is exact (∫g² over the step), the drift is Euler.
    auto noise_std = per_sample(g2_integral(tau, tau + dt).clamp_min(0).sqrt(), xs);
    x = x + drift(x, tau) * dt_x + noise_std * randn(xs.sizes(), gen, xs.options()).to(xs.dtype());
  }
  return x;
}

at::Tensor Sde::g2_integral_start(const at::Tensor& t, double lambda) const {
  // ∫_s^t g² decreases in s, so bisection on [0, t] converges monotonically.
  auto lo = at::zeros_like(t), hi = t.clone();
  auto whole = g2_integral(lo, t);
  for (int i = 0; i < 60; ++i) {
    auto mid = 0.5 * (lo + hi);
    auto too_wide = g2_integral(mid, t) > lambda;
    lo = at::where(too_wide, mid, lo);
    hi = at::where(too_wide, hi, mid);
  }
  return at::where(whole <= lambda, at::zeros_like(t), 0.5 * (lo + hi));
}

at::Tensor gaussian_log_prob(const at::Tensor& x, double std) {
  const double d = static_cast<double>(x.numel() / x.size(0));
  return -0.5 * sum_per_sample(x * x) / (std * std) - d * (std::log(std) + 0.5 * std::log(2 * M_PI));
}

}  // namespace scorekit
