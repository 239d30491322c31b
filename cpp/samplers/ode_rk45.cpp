#include "samplers/ode_rk45.hpp"

#include <torch/autograd.h>

#include "samplers/reverse_process.hpp"

namespace scorekit {

OdeRk45::OdeRk45(const Json& spec) {
  SpecReader r(spec, "sampler 'ode_rk45'");
  options_.rtol = r.positive("rtol", 1e-5);
  options_.atol = r.positive("atol", 1e-5);
  options_.max_steps = r.positive_integer("max_steps", 100000);
  r.finish();
}

Json OdeRk45::spec() const {
  return {{"name", "ode_rk45"}, {"rtol", options_.rtol}, {"atol", options_.atol}, {"max_steps", options_.max_steps}};
}

SampleOutput OdeRk45::run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                          const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  const auto opts = at::TensorOptions().device(model.device());
  auto x = noise.prior(model, sde, n);
  auto v = [&](double t, const at::Tensor& y) { return probability_flow(model, sde, y, at::full({n}, t, opts)); };
  auto sol = dormand_prince(v, x, sde.T(), sde.eps(), options_, progress);
  return {sol.y.cpu(), sol.nfe};
}

}  // namespace scorekit
