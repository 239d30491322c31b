#include "samplers/ode_euler.hpp"

#include <torch/autograd.h>

#include "util/tensor_ops.hpp"

namespace scorekit {

at::Tensor probability_flow(ScoreModel& model, const Sde& sde, const at::Tensor& x, const at::Tensor& t) {
  auto g = per_sample(sde.diffusion(t), x);
  return sde.drift(x, t) - 0.5 * g * g * model.score(x, t);
}

OdeEuler::OdeEuler(const Json& spec) {
  SpecReader r(spec, "sampler 'ode_euler'");
  steps_ = r.positive_integer("steps", 500);
  r.finish();
}

SampleOutput OdeEuler::sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                              const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  const auto opts = at::TensorOptions().device(model.device());
  auto x = prior_batch(model, sde, n, gen);
  auto grid = time_grid(sde, steps_);
  for (int64_t i = 0; i < steps_; ++i) {
    const double t0 = grid[i].item<double>(), t1 = grid[i + 1].item<double>();
    x = x + probability_flow(model, sde, x, at::full({n}, t0, opts)) * (t1 - t0);
    report(progress, i + 1, steps_);
  }
  return {x.cpu(), steps_};
}

}  // namespace scorekit
