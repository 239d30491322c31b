#include "samplers/sigma_sampler.hpp"

#include <torch/autograd.h>

#include <algorithm>
#include <cmath>

#include "util/error.hpp"

namespace scorekit {

void SigmaSampler::read_common(SpecReader& r, int64_t default_steps, const std::string& default_schedule) {
  steps_ = r.positive_integer("steps", default_steps);
  denoise_ = r.boolean("denoise", true);
  schedule_ = NoiseSchedule(r, name_, default_schedule);
  if (denoise_ && steps_ < 2)
    throw Error("sampler '" + name_ + "': steps must be >= 2 with denoise (the last step goes to σ = 0)");
}

Json SigmaSampler::spec() const {
  Json j = {{"name", name_}, {"steps", steps_}, {"denoise", denoise_}};
  schedule_.write(j);
  write_options(j);
  return j;
}

std::vector<double> SigmaSampler::ladder(const SigmaView& view) const {
  auto sig = schedule_.sigmas(denoise_ ? steps_ : steps_ + 1, view);
  for (size_t i = 1; i < sig.size(); ++i)
    if (!(sig[i] < sig[i - 1])) throw Error("sampler '" + name_ + "': the noise schedule must decrease");
  // The model knows σ̃ only on [σ̃(eps), σ̃(T)]: a schedule outside it (vp's on a ve SDE) would query
  // it at clamped times, so it is refused rather than run wrong.
  const double tol = 1e-6;
  if (sig.front() > view.sigma_max() * (1 + tol) || sig.back() < view.sigma_min() * (1 - tol))
    throw Error("sampler '" + name_ + "': schedule '" + schedule_.name() + "' spans σ in [" + std::to_string(sig.back()) +
                ", " + std::to_string(sig.front()) + "], outside the SDE's range [" + std::to_string(view.sigma_min()) +
                ", " + std::to_string(view.sigma_max()) + "]; choose karras or exponential, or an SDE that covers it");
  if (denoise_) sig.push_back(0.0);
  return sig;
}

SampleOutput SigmaSampler::run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                               const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  SigmaView view(model, sde, name_);
  const auto sig = ladder(view);
  auto x = noise.prior(model, sde, n) / view.alpha_at(sde.T());
  if (sig[0] < view.sigma_max()) x = x * (sig[0] / view.sigma_max());
  start();
  for (int64_t i = 0; i < steps_; ++i) {
    x = update(view, x, SigmaStep{sig, i}, noise);
    report(progress, i + 1, steps_);
  }
  return {x.cpu(), view.nfe()};
}

AncestralStep ancestral_step(double sigma, double sigma_next, double eta) {
  if (eta == 0 || sigma_next == 0) return {sigma_next, 0.0};
  const double up = std::min(sigma_next, eta * sigma_next * std::sqrt(std::max(0.0, sigma * sigma - sigma_next * sigma_next)) / sigma);
  return {std::sqrt(std::max(0.0, sigma_next * sigma_next - up * up)), up};
}

}  // namespace scorekit
