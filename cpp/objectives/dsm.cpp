#include "objectives/dsm.hpp"

#include "util/tensor_ops.hpp"

namespace scorekit {

DsmOptions DsmOptions::from_spec(const Json& spec) {
  DsmOptions o;
  SpecReader r(spec, "objective 'dsm'");
  o.weighting = r.choice("weighting", o.weighting, Weighting::kinds());
  r.finish();
  return o;
}

Json DsmOptions::to_spec() const { return {{"name", "dsm"}, {"weighting", weighting}}; }

Dsm::Dsm(DsmOptions options) : opts_(std::move(options)) { Weighting check(opts_.weighting); }

void Dsm::bind(const Sde& sde) {
  Objective::bind(sde);
  opts_.weighting = Weighting(opts_.weighting).resolved(sde).kind();
}

LossOutput Dsm::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  auto t = sample_times(sde, x0.size(0), gen, x0.options());
  auto [xt, z] = sde.perturb(x0, t, gen);
  auto sigma = per_sample(sde.marginal(t).sigma, x0);
  auto residual = model.score(xt, t) + z / sigma;
  auto per = 0.5 * sum_per_sample(residual * residual) * Weighting(opts_.weighting)(sde, t);
  return {per.mean(), {}};
}

}  // namespace scorekit
