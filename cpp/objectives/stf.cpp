#include "objectives/stf.hpp"

#include "objectives/stf_target.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Stf::Stf(const Json& spec) {
  SpecReader r(spec, "objective 'stf'");
  weighting_ = Weighting(r.choice("weighting", "sigma2", Weighting::kinds()));
  n_ = r.positive_integer("reference", 128);
  r.finish();
}

LossOutput Stf::loss(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0);
  if (n_ > B)
    throw Error("objective 'stf': reference batch " + std::to_string(n_) + " exceeds the training batch " +
                std::to_string(B) + "; raise train.batch or lower 'reference'");
  auto t = sample_times(sde, B, gen, x0.options());
  auto [xt, z] = sde.perturb(x0, t, gen);
  auto m = sde.marginal(t);
  auto sigma = per_sample(m.sigma, x0);
  // The same residual as DSM, corrected by the weighted mean shift (exactly zero for n = 1).
  auto shift = stf_mean_shift(xt, x0, x0, m.alpha, m.sigma, n_, 1);
  auto residual = model.score(xt, t) + z / sigma - per_sample(m.alpha, x0) / (sigma * sigma) * shift;
  auto per = 0.5 * sum_per_sample(residual * residual) * weighting_(sde, t);
  return {per.mean(), {}};
}

}  // namespace scorekit
