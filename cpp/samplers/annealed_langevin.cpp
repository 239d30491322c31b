#include "samplers/annealed_langevin.hpp"

#include <torch/autograd.h>

#include <cmath>

#include "samplers/noise_schedule.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

AnnealedLangevin::AnnealedLangevin(const Json& spec) {
  SpecReader r(spec, "sampler 'ald'");
  steps_ = r.positive_integer("steps", 100);
  steps_per_level_ = r.positive_integer("steps_per_level", 5);
  step_ratio_ = r.positive("step_ratio", 0.3);
  sigma_min_ = r.number("sigma_min", 0.0);
  sigma_max_ = r.number("sigma_max", 0.0);
  denoise_ = r.boolean("denoise", true);
  r.finish();
  if (sigma_min_ < 0 || sigma_max_ < 0) throw Error("sampler 'ald': sigma_min and sigma_max must be >= 0 (0: the default)");
  if (step_ratio_ >= 1) throw Error("sampler 'ald': step_ratio must be < 1 (the Langevin step α_i = step_ratio σ_i² must stay below σ_i²)");
}

Json AnnealedLangevin::spec() const {
  return {{"name", "ald"}, {"steps", steps_}, {"steps_per_level", steps_per_level_}, {"step_ratio", step_ratio_},
          {"sigma_min", sigma_min_}, {"sigma_max", sigma_max_}, {"denoise", denoise_}};
}

SampleOutput AnnealedLangevin::run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                                   const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  SigmaView view(model, sde, "ald");
  const double smax = sigma_max_ > 0 ? std::min(sigma_max_, view.sigma_max()) : view.sigma_max();
  const double smin = sigma_min_ > 0 ? std::max(sigma_min_, view.sigma_min()) : std::max(view.sigma_min(), 0.01);
  if (!(smax > smin)) throw Error("sampler 'ald': empty σ range [" + std::to_string(smin) + ", " + std::to_string(smax) + "]");
  auto x = noise.prior(model, sde, n) / view.alpha_at(sde.T());
  const int64_t total = steps_ * steps_per_level_;
  const auto ladder = steps_ == 1 ? std::vector<double>{smin} : exponential_sigmas(steps_, smin, smax);
  for (int64_t i = 0; i < steps_; ++i) {
    const double sigma = ladder[i];
    const double alpha = step_ratio_ * sigma * sigma;
    for (int64_t j = 0; j < steps_per_level_; ++j) {
      x = x + 0.5 * alpha * view.score(x, sigma) + std::sqrt(alpha) * noise.normal(x.sizes(), x.options());
      report(progress, i * steps_per_level_ + j + 1, total);
    }
  }
  if (denoise_) x = view.denoise(x, smin);
  return {x.cpu(), view.nfe()};
}

}  // namespace scorekit
