#include "objectives/stf.hpp"

#include "objectives/stf_target.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

StfOptions StfOptions::from_spec(const Json& spec) {
  StfOptions o;
  SpecReader r(spec, "objective 'stf'");
  o.weighting = r.choice("weighting", o.weighting, Weighting::kinds());
  o.reference = r.positive_integer("reference", o.reference);
  o.minibatch = r.integer("minibatch", o.minibatch);
  r.finish();
  return o;
}

Json StfOptions::to_spec() const {
  return {{"name", "stf"}, {"weighting", weighting}, {"reference", reference}, {"minibatch", minibatch}};
}

Stf::Stf(StfOptions options) : opts_(std::move(options)) {
  Weighting check(opts_.weighting);
  if (opts_.reference < 1) throw Error("objective 'stf': 'reference' must be >= 1");
  if (opts_.minibatch < 0) throw Error("objective 'stf': 'minibatch' must be >= 0 (0: the whole training batch)");
}

void Stf::bind(const Sde& sde) {
  Objective::bind(sde);
  opts_.weighting = Weighting(opts_.weighting).resolved(sde).kind();
}

LossOutput Stf::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0);
  if (opts_.reference > B)
    throw Error("objective 'stf': reference batch " + std::to_string(opts_.reference) + " exceeds the micro-batch of " +
                std::to_string(B) + " rows that each loss sees (train.micro_batch; by default train.batch divided "
                "by the number of ranks); raise train.micro_batch or lower 'reference'");
  const int64_t M = opts_.minibatch == 0 ? B : opts_.minibatch;
  if (M > B)
    throw Error("objective 'stf': minibatch " + std::to_string(M) + " exceeds the micro-batch of " + std::to_string(B) +
                " rows that each loss sees (train.micro_batch; by default train.batch divided by the number of ranks)");
  auto y1 = x0.slice(0, 0, M);
  auto t = sample_times(sde, M, gen, x0.options());
  auto [xt, z] = sde.perturb(y1, t, gen);
  auto m = sde.marginal(t);
  auto sigma = per_sample(m.sigma, y1);
  // The same residual as DSM, corrected by the weighted mean shift (exactly zero for n = 1).
  auto shift = stf_mean_shift(xt, y1, x0, m.alpha, m.sigma, opts_.reference, 1);
  auto residual = model.score(xt, t) + z / sigma - per_sample(m.alpha, y1) / (sigma * sigma) * shift;
  auto per = 0.5 * sum_per_sample(residual * residual) * Weighting(opts_.weighting)(sde, t);
  return {per.mean(), {}};
}

}  // namespace scorekit
