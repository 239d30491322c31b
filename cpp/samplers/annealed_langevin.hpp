#pragma once
#include "samplers/sampler.hpp"

namespace scorekit {

// Annealed Langevin dynamics (Song & Ermon 2019, Algorithm 1): over a geometric ladder of `steps`
// noise levels σ_1 = sigma_max > ... > σ_L = sigma_min, `steps_per_level` Langevin updates
// x ← x + (α_i/2) s(x, σ_i) + sqrt(α_i) z with α_i = ε σ_i² / σ_L², where ε = step_ratio σ_L²
// (so α_i = step_ratio σ_i²). Noise levels are those of the SDE's VE view (sigma_view.hpp): for VE
// they are the SDE's own σ(t); for VP and sub-VP the chain runs on x̃ = x / alpha(t) with
// σ̃ = sigma / alpha and score alpha s(alpha x̃, t), which is the same NCSN chain on the data
// scale. The start is the prior divided by alpha(T). denoise = true adds the final Tweedie step
// x ← x + σ_L² s(x, σ_L) (Jolicoeur-Martineau et al. 2021; NCSNv2). Defaults: 100 levels of 5
// steps, step_ratio 0.3 (NCSN's ε = 2e-5 at σ_L = 0.01 is step_ratio 0.2), σ range
// [max(σ̃(eps), 0.01), σ̃(T)]. ALD is not exact at finite steps: on the oracle its sliced-W2 error
// falls with step_ratio and steps_per_level (docs/samplers.md).
class AnnealedLangevin : public Sampler {
 public:
  explicit AnnealedLangevin(const Json& spec);
  std::string name() const override { return "ald"; }
  Json spec() const override;
  SampleOutput run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                   const ProgressFn& progress) override;

 private:
  int64_t steps_, steps_per_level_;
  double step_ratio_, sigma_min_, sigma_max_;  // σ bounds 0: the defaults above
  bool denoise_;
};

}  // namespace scorekit
