#include "objectives/ism_hutchinson.hpp"

#include "util/tensor_ops.hpp"

namespace scorekit {

IsmHutchinson::IsmHutchinson(const Json& spec) {
  SpecReader r(spec, "objective 'ism_hutchinson'");
  weighting_ = Weighting(r.choice("weighting", "auto", Weighting::kinds()));
  opts_.probes = r.choice("probe", "rademacher", {"rademacher", "gaussian"});
  opts_.n = r.positive_integer("probes", 1);
  opts_.projected_norm = false;
  r.finish();
}

Json IsmHutchinson::spec() const {
  return {{"name", "ism_hutchinson"}, {"weighting", weighting_.kind()}, {"probe", opts_.probes}, {"probes", opts_.n}};
}

LossOutput IsmHutchinson::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  auto t = sample_times(sde, x0.size(0), gen, x0.options());
  auto xt = sde.perturb(x0, t, gen).first;
  auto per = sliced_score_matching(model, xt, t, gen, opts_) * weighting_(sde, t);
  return {per.mean(), {}};
}

}  // namespace scorekit
