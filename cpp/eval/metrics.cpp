#include "eval/metrics.hpp"

#include <torch/autograd.h>

#include "objectives/objective.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

double sliced_wasserstein(const at::Tensor& a_in, const at::Tensor& b_in, int64_t projections, at::Generator& gen) {
  auto a = a_in.detach().cpu().to(at::kDouble).reshape({a_in.size(0), -1});
  auto b = b_in.detach().cpu().to(at::kDouble).reshape({b_in.size(0), -1});
  if (a.size(1) != b.size(1)) throw Error("sliced_wasserstein: the two sets differ in dimension");
  if (projections <= 0) throw Error("sliced_wasserstein: projections must be positive");
  auto dirs = at::randn({a.size(1), projections}, gen, at::TensorOptions().dtype(at::kFloat)).to(at::kDouble);
  dirs = dirs / dirs.norm(2, 0, true);
  auto pa = std::get<0>(at::sort(a.matmul(dirs), 0));
  auto pb = std::get<0>(at::sort(b.matmul(dirs), 0));
  const int64_t m = std::max(pa.size(0), pb.size(0));
  auto at_levels = [m](const at::Tensor& sorted) {
    if (sorted.size(0) == m) return sorted;
    auto idx = (at::arange(m, at::kDouble) + 0.5) / m * sorted.size(0);
    return sorted.index_select(0, idx.floor().clamp_max(sorted.size(0) - 1).to(at::kLong));
  };
  return std::sqrt((at_levels(pa) - at_levels(pb)).pow(2).mean().item<double>());
}

double mmd(const at::Tensor& a_in, const at::Tensor& b_in) {
  auto a = a_in.detach().cpu().to(at::kDouble).reshape({a_in.size(0), -1});
  auto b = b_in.detach().cpu().to(at::kDouble).reshape({b_in.size(0), -1});
  auto all = at::cat({a, b}, 0);
  auto d2 = at::cdist(all, all).pow(2);
  const double h2 = d2.median().item<double>() + 1e-12;
  auto k = at::exp(-d2 / h2);
  const int64_t n = a.size(0), m = b.size(0);
  auto kaa = k.slice(0, 0, n).slice(1, 0, n), kbb = k.slice(0, n).slice(1, n), kab = k.slice(0, 0, n).slice(1, n);
  const double saa = (kaa.sum().item<double>() - n) / (n * (n - 1.0));
  const double sbb = (kbb.sum().item<double>() - m) / (m * (m - 1.0));
  return saa + sbb - 2 * kab.mean().item<double>();
}

double score_mse(ScoreModel& model, const Sde& sde, const GaussianMixture& mixture, int64_t n, at::Generator& gen) {
  torch::NoGradGuard no_grad;
  const auto opts = at::TensorOptions().device(model.device());
  auto x0 = mixture.sample(n, gen).to(opts.device());
  auto t = sample_times(sde, n, gen, opts);
  auto [xt, z] = sde.perturb(x0, t, gen);
  auto m = sde.marginal(t);
  // The analytic mixture lives on the CPU; the model may not.
  auto truth = mixture.score(xt.cpu(), m.alpha.cpu(), m.sigma.cpu());
  auto err = (model.score(xt, t).cpu() - truth) * per_sample(m.sigma.cpu(), truth);
  return err.pow(2).sum(1).mean().item<double>() / static_cast<double>(xt.size(1));
}

}  // namespace scorekit
