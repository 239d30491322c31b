#include "objectives/dsm.hpp"

#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {
Weighting read_weighting(const Json& spec) {
  SpecReader r(spec, "objective 'dsm'");
  auto w = r.choice("weighting", "auto", Weighting::kinds());
  r.finish();
  return Weighting(w);
}
}  // namespace

Dsm::Dsm(const Json& spec) : weighting_(read_weighting(spec)) {}

LossOutput Dsm::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  auto t = sample_times(sde, x0.size(0), gen, x0.options());
  auto [xt, z] = sde.perturb(x0, t, gen);
  auto sigma = per_sample(sde.marginal(t).sigma, x0);
  auto residual = model.score(xt, t) + z / sigma;
  auto per = 0.5 * sum_per_sample(residual * residual) * weighting_(sde, t);
  return {per.mean(), {}};
}

}  // namespace scorekit
