#pragma once
// The fixed-step driver of the samplers that walk the uniform time grid T = t_0 > ... > t_N = eps
// (em, ode_euler, ode_heun, ode_rk4, pc): it draws the prior, calls update() once per step, reports
// progress and counts NFE through the ReverseProcess. Each sampler's file holds only its update.
#include "samplers/reverse_process.hpp"
#include "samplers/sampler.hpp"

namespace scorekit {

class TimeGridSampler : public Sampler {
 public:
  SampleOutput run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                   const ProgressFn& progress) final;

 protected:
  explicit TimeGridSampler(int64_t steps) : steps_(steps) {}
  // x at t0 → x at t1 (< t0); `last` marks the step that ends at eps.
  virtual at::Tensor update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool last,
                            NoiseSource& noise) = 0;
  int64_t steps_;
};

}  // namespace scorekit
