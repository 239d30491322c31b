#include "objectives/sliced.hpp"

#include "objectives/jacobian.hpp"
#include "objectives/probes.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

at::Tensor sliced_score_matching(ScoreModel& model, const at::Tensor& xt, const at::Tensor& t,
                                 at::Generator& gen, const SlicedOptions& opts) {
  const int64_t B = xt.size(0), n = opts.n;
  std::vector<int64_t> rep(xt.dim(), 1);
  rep[0] = n;
  auto x = xt.detach().repeat(rep).requires_grad_(true);
  auto tt = t.repeat({n});
  std::vector<int64_t> shape = x.sizes().vec();
  auto v = draw_probes(opts.probes, shape, gen, x.options());
  auto s = model.score(x, tt, /*copies=*/n);
  auto norm = opts.projected_norm ? 0.5 * sum_per_sample(s * v).pow(2) : 0.5 * sum_per_sample(s * s);
  auto per = norm + jacobian_quadratic_form(s, x, v);
  return per.reshape({n, B}).mean(0);
}

}  // namespace scorekit
