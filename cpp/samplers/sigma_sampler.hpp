#pragma once
// The fixed-step driver of the samplers that step in the noise level σ of an affine SDE's σ view
// x̃ = x / alpha (sigma_view.hpp), k-diffusion style: a NoiseSchedule gives σ_0 > ... > σ_{L−1}
// (L = steps with denoise, steps + 1 without), denoise = true appends σ_L = 0, and update() takes
// x̃ from σ_i to σ_{i+1} once per step. The start is the prior divided by alpha(T), rescaled by
// σ_0 / σ̃(T) when the schedule starts below the SDE's top level. Each sampler's file holds only its
// constructor (its own keys) and its update rule; NFE are the denoiser calls SigmaView counts.
// Keys every such sampler reads: steps, denoise, and the schedule's (noise_schedule.hpp).
#include "samplers/noise_schedule.hpp"
#include "samplers/sampler.hpp"
#include "samplers/sigma_view.hpp"

namespace scorekit {

// One step of a σ ladder: from sigmas[i] to sigmas[i + 1] (which may be 0).
struct SigmaStep {
  const std::vector<double>& sigmas;
  int64_t i;
  double sigma() const { return sigmas[i]; }
  double next() const { return sigmas[i + 1]; }
  double previous() const { return sigmas[i - 1]; }  // i > 0 only
};

class SigmaSampler : public Sampler {
 public:
  SampleOutput run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                   const ProgressFn& progress) final;
  Json spec() const final;
  std::string name() const override { return name_; }
  // The whole ladder of one run, σ_0 first (and 0 last with denoise).
  std::vector<double> ladder(const SigmaView& view) const;

 protected:
  explicit SigmaSampler(std::string name) : name_(std::move(name)) {}
  // Reads steps, denoise and the schedule; call first in the subclass's constructor.
  void read_common(SpecReader& r, int64_t default_steps, const std::string& default_schedule);
  virtual void start() {}  // before each run: clears a multistep history
  virtual at::Tensor update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) = 0;
  virtual void write_options(Json& spec) const {}  // the subclass's own keys

  std::string name_;
  int64_t steps_ = 0;
  bool denoise_ = true;
  NoiseSchedule schedule_;
};

// k-diffusion's get_ancestral_step: the ancestral split of a step σ → σ_next into a deterministic
// move to σ_down and fresh noise of std σ_up, σ_down² + σ_up² = σ_next²,
// σ_up = min(σ_next, η σ_next √(σ² − σ_next²) / σ).
struct AncestralStep {
  double down, up;
};
AncestralStep ancestral_step(double sigma, double sigma_next, double eta);

}  // namespace scorekit
