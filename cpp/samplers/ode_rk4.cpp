#include "samplers/ode_rk4.hpp"

#include <torch/autograd.h>

#include "samplers/ode_euler.hpp"

namespace scorekit {

OdeRk4::OdeRk4(const Json& spec) {
  SpecReader r(spec, "sampler 'ode_rk4'");
  steps_ = r.positive_integer("steps", 50);
  r.finish();
}

SampleOutput OdeRk4::sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                            const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  const auto opts = at::TensorOptions().device(model.device());
  auto x = prior_batch(model, sde, n, gen);
  auto grid = time_grid(sde, steps_);
  auto v = [&](const at::Tensor& y, double t) { return probability_flow(model, sde, y, at::full({n}, t, opts)); };
  for (int64_t i = 0; i < steps_; ++i) {
    const double t0 = grid[i].item<double>(), t1 = grid[i + 1].item<double>(), h = t1 - t0;
    auto k1 = v(x, t0);
    auto k2 = v(x + 0.5 * h * k1, t0 + 0.5 * h);
    auto k3 = v(x + 0.5 * h * k2, t0 + 0.5 * h);
    auto k4 = v(x + h * k3, t1);
    x = x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    report(progress, i + 1, steps_);
  }
  return {x.cpu(), 4 * steps_};
}

}  // namespace scorekit
