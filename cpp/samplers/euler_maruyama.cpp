#include "samplers/euler_maruyama.hpp"

#include <torch/autograd.h>

#include "util/tensor_ops.hpp"

namespace scorekit {

EulerMaruyama::EulerMaruyama(const Json& spec) {
  SpecReader r(spec, "sampler 'em'");
  steps_ = r.positive_integer("steps", 500);
  denoise_ = r.boolean("denoise", true);
  r.finish();
}

SampleOutput EulerMaruyama::sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                                   const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  const auto opts = at::TensorOptions().device(model.device());
  auto x = prior_batch(model, sde, n, gen);
  auto grid = time_grid(sde, steps_);
  SampleOutput out;
  for (int64_t i = 0; i < steps_; ++i) {
    const double t0 = grid[i].item<double>(), t1 = grid[i + 1].item<double>(), dt = t0 - t1;
    auto t = at::full({n}, t0, opts);
    auto g = per_sample(sde.diffusion(t), x);
    auto mean = x - (sde.drift(x, t) - g * g * model.score(x, t)) * dt;
    ++out.nfe;
    const bool last = i + 1 == steps_;
    x = (last && denoise_) ? mean : mean + g * std::sqrt(dt) * randn(x.sizes(), gen, opts);
    report(progress, i + 1, steps_);
  }
  out.x = x.cpu();
  return out;
}

}  // namespace scorekit
