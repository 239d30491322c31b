#include "objectives/ism.hpp"

#include "objectives/jacobian.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

IsmOptions IsmOptions::from_spec(const Json& spec) {
  IsmOptions o;
  SpecReader r(spec, "objective 'ism'");
  o.weighting = r.choice("weighting", o.weighting, Weighting::kinds());
  r.finish();
  return o;
}

Json IsmOptions::to_spec() const { return {{"name", "ism"}, {"weighting", weighting}}; }

Ism::Ism(IsmOptions options) : opts_(std::move(options)) { Weighting check(opts_.weighting); }

void Ism::bind(const Sde& sde) {
  Objective::bind(sde);
  opts_.weighting = Weighting(opts_.weighting).resolved(sde).kind();
}

LossOutput Ism::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  auto t = sample_times(sde, x0.size(0), gen, x0.options());
  auto x = draw_marginal(sde, x0, t, gen).requires_grad_(true);
  auto s = model.score(x, t);
  auto per = 0.5 * sum_per_sample(s * s) + jacobian_trace(s, x);
  return {(per * Weighting(opts_.weighting)(sde, t)).mean(), {}};
}

}  // namespace scorekit
