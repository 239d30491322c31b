#include "models/edm.hpp"

namespace scorekit {

EdmScalings edm_scalings(const at::Tensor& sigma, double sigma_data) {
  const double sd2 = sigma_data * sigma_data;
  auto norm = at::rsqrt(sigma * sigma + sd2);
  return {sd2 * norm * norm, sigma * sigma_data * norm, norm, at::log(sigma) / 4};
}

at::Tensor edm_sigma(const Sde& sde, const at::Tensor& t) {
  auto m = sde.marginal(t);
  return m.sigma / m.alpha;
}

at::Tensor edm_time(const Sde& sde, const at::Tensor& sigma) {
  auto target = sigma.to(at::kDouble);
  auto lo = at::zeros_like(target), hi = at::full_like(target, sde.T());
  // Bisection in double precision: 60 halvings of [0, 1] reach it.
  for (int i = 0; i < 60; ++i) {
    auto mid = (lo + hi) / 2;
    auto below = edm_sigma(sde, mid).to(at::kDouble) < target;
    lo = at::where(below, mid, lo);
    hi = at::where(below, hi, mid);
  }
  return ((lo + hi) / 2).to(sigma.scalar_type());
}

}  // namespace scorekit
