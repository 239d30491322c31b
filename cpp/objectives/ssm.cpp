#include "objectives/ssm.hpp"

#include "util/tensor_ops.hpp"

namespace scorekit {

Ssm::Ssm(const Json& spec) {
  SpecReader r(spec, "objective 'ssm'");
  weighting_ = Weighting(r.choice("weighting", "auto", Weighting::kinds()));
  opts_.probes = r.choice("projection", "sphere", {"sphere", "gaussian"});
  opts_.n = r.positive_integer("projections", 1);
  opts_.projected_norm = true;
  r.finish();
}

Json Ssm::spec() const {
  return {{"name", "ssm"}, {"weighting", weighting_.kind()}, {"projection", opts_.probes}, {"projections", opts_.n}};
}

LossOutput Ssm::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  auto t = sample_times(sde, x0.size(0), gen, x0.options());
  auto xt = sde.perturb(x0, t, gen).first;
  auto per = sliced_score_matching(model, xt, t, gen, opts_) * weighting_(sde, t);
  return {per.mean(), {}};
}

}  // namespace scorekit
