#include "samplers/sigma_view.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

SigmaView::SigmaView(ScoreModel& model, const Sde& sde, const std::string& sampler) : model_(model), sde_(sde) {
  if (!sde.is_affine())
    throw Error("sampler '" + sampler + "' steps in the noise level σ and needs an affine SDE; '" + sde.name() + "' is not");
  sigma_min_ = sigma_at(sde.eps());
  sigma_max_ = sigma_at(sde.T());
  if (!(sigma_max_ > sigma_min_)) throw Error("sampler '" + sampler + "': the SDE's noise level does not increase with t");
}

double SigmaView::sigma_at(double t) const {
  auto m = sde_.marginal(at::full({1}, t, at::kDouble));
  return m.sigma.item<double>() / m.alpha.item<double>();
}

double SigmaView::alpha_at(double t) const { return sde_.marginal(at::full({1}, t, at::kDouble)).alpha.item<double>(); }

double SigmaView::t_of(double sigma) const {
  if (sigma <= sigma_min_) return sde_.eps();
  if (sigma >= sigma_max_) return sde_.T();
  double lo = sde_.eps(), hi = sde_.T();
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (sigma_at(mid) < sigma ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

at::Tensor SigmaView::score(const at::Tensor& xs, double sigma) {
  const double t = t_of(sigma), a = alpha_at(t);
  ++nfe_;
  return a * model_.score(a * xs, batch_time(xs, t));
}

at::Tensor SigmaView::denoise(const at::Tensor& xs, double sigma) { return xs + sigma * sigma * score(xs, sigma); }

}  // namespace scorekit
