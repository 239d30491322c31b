#include "objectives/ism.hpp"

#include "objectives/jacobian.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Ism::Ism(const Json& spec) {
  SpecReader r(spec, "objective 'ism'");
  weighting_ = Weighting(r.choice("weighting", "auto", Weighting::kinds()));
  r.finish();
}

LossOutput Ism::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  auto t = sample_times(sde, x0.size(0), gen, x0.options());
  auto x = sde.perturb(x0, t, gen).first.detach().requires_grad_(true);
  auto s = model.score(x, t);
  auto per = 0.5 * sum_per_sample(s * s) + jacobian_trace(s, x);
  return {(per * weighting_(sde, t)).mean(), {}};
}

}  // namespace scorekit
