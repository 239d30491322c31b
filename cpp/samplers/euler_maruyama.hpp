#pragma once
#include "samplers/sampler.hpp"

namespace scorekit {

// Reverse-time Euler–Maruyama: dx = [f - g² s] dt + g dW̄ from T to eps; the last step returns
// the noise-free mean (the usual final denoising).
class EulerMaruyama : public Sampler {
 public:
  explicit EulerMaruyama(const Json& spec);
  std::string name() const override { return "em"; }
  Json spec() const override { return {{"name", "em"}, {"steps", steps_}, {"denoise", denoise_}}; }
  SampleOutput sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                      const ProgressFn& progress) override;

 private:
  int64_t steps_;
  bool denoise_;
};

}  // namespace scorekit
