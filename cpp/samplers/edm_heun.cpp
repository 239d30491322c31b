#include "samplers/edm_heun.hpp"

#include <torch/autograd.h>

#include <cmath>

#include "samplers/sigma_view.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

EdmHeun::EdmHeun(const Json& spec) {
  SpecReader r(spec, "sampler 'edm_heun'");
  steps_ = r.positive_integer("steps", 18);
  rho_ = r.positive("rho", 7.0);
  s_churn_ = r.number("s_churn", 0.0);
  s_tmin_ = r.number("s_tmin", 0.0);
  s_tmax_ = r.number("s_tmax", 1e30);
  s_noise_ = r.positive("s_noise", 1.0);
  sigma_min_ = r.number("sigma_min", 0.0);
  sigma_max_ = r.number("sigma_max", 0.0);
  denoise_ = r.boolean("denoise", true);
  r.finish();
  if (s_churn_ < 0) throw Error("sampler 'edm_heun': s_churn must be >= 0");
  if (sigma_min_ < 0 || sigma_max_ < 0) throw Error("sampler 'edm_heun': sigma_min and sigma_max must be >= 0 (0: the SDE's range)");
  if (sigma_min_ > 0 && sigma_max_ > 0 && sigma_max_ <= sigma_min_) throw Error("sampler 'edm_heun': sigma_max must exceed sigma_min");
  if (denoise_ && steps_ < 2) throw Error("sampler 'edm_heun': steps must be >= 2 with denoise (the last step goes to σ = 0)");
}

Json EdmHeun::spec() const {
  return {{"name", "edm_heun"}, {"steps", steps_},     {"rho", rho_},         {"s_churn", s_churn_},
          {"s_tmin", s_tmin_},  {"s_tmax", s_tmax_},   {"s_noise", s_noise_}, {"sigma_min", sigma_min_},
          {"sigma_max", sigma_max_}, {"denoise", denoise_}};
}

SampleOutput EdmHeun::sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                             const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  SigmaView view(model, sde, "edm_heun");
  const double smax = sigma_max_ > 0 ? std::min(sigma_max_, view.sigma_max()) : view.sigma_max();
  const double smin = sigma_min_ > 0 ? std::max(sigma_min_, view.sigma_min()) : view.sigma_min();
  if (!(smax > smin)) throw Error("sampler 'edm_heun': empty σ range [" + std::to_string(smin) + ", " + std::to_string(smax) + "]");
  // The ρ-ladder with `ladder` points from smax to smin, then 0 when denoising.
  const int64_t ladder = denoise_ ? steps_ : steps_ + 1;
  std::vector<double> sig(ladder);
  const double a = std::pow(smax, 1 / rho_), b = std::pow(smin, 1 / rho_);
  for (int64_t i = 0; i < ladder; ++i) sig[i] = std::pow(a + (b - a) * i / (ladder - 1.0), rho_);
  if (denoise_) sig.push_back(0.0);

  const auto opts = at::TensorOptions().device(model.device());
  auto x = prior_batch(model, sde, n, gen) / view.alpha_at(sde.T());
  const double gamma_max = std::min(s_churn_ / steps_, std::sqrt(2.0) - 1);
  for (int64_t i = 0; i < steps_; ++i) {
    double s = sig[i];
    const double s_next = sig[i + 1];
    if (gamma_max > 0 && s >= s_tmin_ && s <= s_tmax_) {
      const double s_hat = std::min(s * (1 + gamma_max), view.sigma_max());  // the model knows no σ above σ̃(T)
      x = x + std::sqrt(std::max(0.0, s_hat * s_hat - s * s)) * s_noise_ * randn(x.sizes(), gen, opts);
      s = s_hat;
    }
    auto d = (x - view.denoise(x, s)) / s;
    auto x_next = x + (s_next - s) * d;
    if (s_next > 0) {  // 2nd-order correction
      auto d2 = (x_next - view.denoise(x_next, s_next)) / s_next;
      x_next = x + (s_next - s) * 0.5 * (d + d2);
    }
    x = x_next;
    report(progress, i + 1, steps_);
  }
  return {x.cpu(), view.nfe()};
}

}  // namespace scorekit
