#include "samplers/time_grid_sampler.hpp"

#include <torch/autograd.h>

namespace scorekit {

SampleOutput TimeGridSampler::run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                                  const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  ReverseProcess reverse(model, sde);
  auto x = noise.prior(model, sde, n);
  auto grid = time_grid(sde, steps_);
  for (int64_t i = 0; i < steps_; ++i) {
    x = update(reverse, x, grid[i].item<double>(), grid[i + 1].item<double>(), i + 1 == steps_, noise);
    report(progress, i + 1, steps_);
  }
  return {x.cpu(), reverse.nfe()};
}

}  // namespace scorekit
