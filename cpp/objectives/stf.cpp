#include "objectives/stf.hpp"

#include "objectives/stf_target.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Stf::Stf(const Json& spec) {
  SpecReader r(spec, "objective 'stf'");
  weighting_ = Weighting(r.choice("weighting", "auto", Weighting::kinds()));
  n_ = r.positive_integer("reference", 128);
  minibatch_ = r.integer("minibatch", 0);
  r.finish();
  if (minibatch_ < 0) throw Error("objective 'stf': 'minibatch' must be >= 0 (0: the whole training batch)");
}

LossOutput Stf::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0);
  if (n_ > B)
    throw Error("objective 'stf': reference batch " + std::to_string(n_) + " exceeds the micro-batch of " +
                std::to_string(B) + " rows that each loss sees (train.micro_batch; by default train.batch divided "
                "by the number of ranks); raise train.micro_batch or lower 'reference'");
  const int64_t M = minibatch_ == 0 ? B : minibatch_;
  if (M > B)
    throw Error("objective 'stf': minibatch " + std::to_string(M) + " exceeds the micro-batch of " + std::to_string(B) +
                " rows that each loss sees (train.micro_batch; by default train.batch divided by the number of ranks)");
  auto y1 = x0.slice(0, 0, M);
  auto t = sample_times(sde, M, gen, x0.options());
  auto [xt, z] = sde.perturb(y1, t, gen);
  auto m = sde.marginal(t);
  auto sigma = per_sample(m.sigma, y1);
  // The same residual as DSM, corrected by the weighted mean shift (exactly zero for n = 1).
  auto shift = stf_mean_shift(xt, y1, x0, m.alpha, m.sigma, n_, 1);
  auto residual = model.score(xt, t) + z / sigma - per_sample(m.alpha, y1) / (sigma * sigma) * shift;
  auto per = 0.5 * sum_per_sample(residual * residual) * weighting_(sde, t);
  return {per.mean(), {}};
}

}  // namespace scorekit
