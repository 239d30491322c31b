#pragma once
#include "samplers/time_grid_sampler.hpp"

namespace scorekit {

// Reverse-time Euler–Maruyama: dx = [f - g² s] dt + g dW̄ from T to eps; the last step returns
// the noise-free mean (the usual final denoising).
class EulerMaruyama : public TimeGridSampler {
 public:
  explicit EulerMaruyama(const Json& spec);
  std::string name() const override { return "em"; }
  Json spec() const override { return {{"name", "em"}, {"steps", steps_}, {"denoise", denoise_}}; }

 protected:
  at::Tensor update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool last,
                    NoiseSource& noise) override;

 private:
  bool denoise_;
};

}  // namespace scorekit
