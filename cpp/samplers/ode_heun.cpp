#include "samplers/ode_heun.hpp"

#include <torch/autograd.h>

#include "samplers/ode_euler.hpp"

namespace scorekit {

OdeHeun::OdeHeun(const Json& spec) {
  SpecReader r(spec, "sampler 'ode_heun'");
  steps_ = r.positive_integer("steps", 100);
  r.finish();
}

SampleOutput OdeHeun::sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                             const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  const auto opts = at::TensorOptions().device(model.device());
  auto x = prior_batch(model, sde, n, gen);
  auto grid = time_grid(sde, steps_);
  for (int64_t i = 0; i < steps_; ++i) {
    const double t0 = grid[i].item<double>(), t1 = grid[i + 1].item<double>(), h = t1 - t0;
    auto v0 = probability_flow(model, sde, x, at::full({n}, t0, opts));
    auto v1 = probability_flow(model, sde, x + h * v0, at::full({n}, t1, opts));
    x = x + 0.5 * h * (v0 + v1);
    report(progress, i + 1, steps_);
  }
  return {x.cpu(), 2 * steps_};
}

}  // namespace scorekit
