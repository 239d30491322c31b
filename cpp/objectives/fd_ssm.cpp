#include "objectives/fd_ssm.hpp"

#include "objectives/probes.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

FdSsm::FdSsm(const Json& spec) {
  SpecReader r(spec, "objective 'fd_ssm'");
  weighting_ = Weighting(r.choice("weighting", "sigma2", Weighting::kinds()));
  eps_ = r.positive("eps", 0.1);
  r.finish();
}

LossOutput FdSsm::loss(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0);
  auto t = sample_times(sde, B, gen, x0.options());
  auto xt = sde.perturb(x0, t, gen).first.detach();
  auto v = sphere_directions(xt.sizes(), eps_, gen, xt.options());
  auto s = model.score(at::cat({xt + v, xt - v}), at::cat({t, t}));
  auto sp = s.slice(0, 0, B), sm = s.slice(0, B, 2 * B);
  const double d = static_cast<double>(xt.numel() / B);
  auto sum = sp + sm;
  auto per = 0.125 * sum_per_sample(sum * sum) + (d / (2 * eps_ * eps_)) * sum_per_sample(v * (sp - sm));
  return {(per * weighting_(sde, t)).mean(), {}};
}

}  // namespace scorekit
