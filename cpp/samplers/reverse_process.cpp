#include "samplers/reverse_process.hpp"

#include "util/tensor_ops.hpp"

namespace scorekit {

at::Tensor probability_flow(ScoreModel& model, const Sde& sde, const at::Tensor& x, const at::Tensor& t) {
  auto g = per_sample(sde.diffusion(t), x);
  return sde.drift(x, t) - 0.5 * g * g * model.score(x, t);
}

at::Tensor ReverseProcess::times(const at::Tensor& x, double t) const {
  return batch_time(x, t);
}

ReverseStep ReverseProcess::step(const at::Tensor& x, double t0, double t1, ReverseNoise noise) {
  auto t = times(x, t0);
  const double dt = t0 - t1;
  at::Tensor g2 = noise == ReverseNoise::EulerMaruyama ? sde_.diffusion(t).pow(2) * dt
                                                       : sde_.g2_integral(times(x, t1), t);
  g2 = per_sample(g2, x);
  ++nfe_;
  return {x - sde_.drift(x, t) * dt + g2 * model_.score(x, t), g2.sqrt()};
}

at::Tensor ReverseProcess::velocity(const at::Tensor& x, double t) {
  ++nfe_;
  return probability_flow(model_, sde_, x, times(x, t));
}

at::Tensor ReverseProcess::score(const at::Tensor& x, double t) {
  ++nfe_;
  return model_.score(x, times(x, t));
}

}  // namespace scorekit
