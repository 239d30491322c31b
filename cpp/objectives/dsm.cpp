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
  const auto m = sde.marginal(t);  // once: the perturbation, the target and the weighting share it
  auto z = randn(x0.sizes(), gen, x0.options());
  auto sigma = per_sample(m.sigma, x0);
  auto xt = per_sample(m.alpha, x0) * x0 + sigma * z;  // Sde::perturb, with the marginal at hand
  auto residual = model.score(xt, t) + z / sigma;
  auto per = 0.5 * sum_per_sample(residual * residual) * Weighting(opts_.weighting)(sde, t, m);
  return {per.mean(), {}};
}

}  // namespace scorekit
