#include "eval/target_variance.hpp"

#include <algorithm>
#include <cmath>

#include "objectives/stf_target.hpp"
#include "util/error.hpp"

namespace scorekit {

namespace {
const auto kF64 = at::TensorOptions().dtype(at::kDouble);

// Per-point component responsibilities (M, K) and the Gaussian posterior of x₀ given x_t and the
// component: means (M, K, d), variances (K, d).
struct Posterior {
  at::Tensor resp, mean, var;
};

Posterior mixture_posterior(const GaussianMixture& mix, const at::Tensor& x, double a, double s) {
  auto m = mix.means(), sd2 = mix.stds().pow(2);
  auto var_t = a * a * sd2 + s * s;                                   // (K, d)
  auto diff = x.unsqueeze(1) - a * m.unsqueeze(0);                    // (M, K, d)
  auto lp = -0.5 * (diff * diff / var_t + at::log(2 * M_PI * var_t)).sum(2) + at::log(mix.weights()).unsqueeze(0);
  auto post_var = 1.0 / (1.0 / sd2 + a * a / (s * s));               // (K, d)
  auto post_mean = post_var * (m / sd2).unsqueeze(0) + post_var * (a / (s * s)) * x.unsqueeze(1);
  return {at::softmax(lp, 1), post_mean, post_var};
}
}  // namespace

TargetStats target_stats(const GaussianMixture& mix, const Sde& sde, double t, int64_t n, int64_t points,
                         int64_t draws, at::Generator& gen) {
  if (draws < 2) throw Error("target_stats: at least 2 draws per point are needed for a variance");
  auto tt = at::full({1}, t, at::TensorOptions().dtype(at::kFloat));
  auto marg = sde.marginal(tt);
  const double a = marg.alpha.item<double>(), s = marg.sigma.item<double>();
  const int64_t M = points;

  auto x0 = mix.sample(M, gen).to(at::kDouble);
  auto xt = a * x0 + s * at::randn(x0.sizes(), gen, at::TensorOptions().dtype(at::kFloat)).to(at::kDouble);
  auto score = mix.score(xt, at::full({M}, a, kF64), at::full({M}, s, kF64));
  auto post = mixture_posterior(mix, xt, a, s);

  // Exact DSM target variance: (α²/σ⁴)·tr Cov(x₀ | x_t) from the mixture posterior.
  auto r = post.resp.unsqueeze(2);
  auto second = (r * (post.var.unsqueeze(0) + post.mean.pow(2))).sum(1);
  auto first = (r * post.mean).sum(1);
  auto dsm_exact = (a * a / (s * s * s * s)) * (second - first.pow(2)).sum(1);

  auto alpha = at::full({M}, a, kF64), sigma = at::full({M}, s, kF64);
  auto sum = at::zeros_like(xt), sumsq = at::zeros_like(xt);
  const int64_t P = std::max<int64_t>(1, M + n - 2);
  for (int64_t k = 0; k < draws; ++k) {
    // x₁ ~ p(x₀ | x_t): a component from the responsibilities, then its Gaussian posterior.
    auto comp = at::multinomial(post.resp.to(at::kFloat), 1, true, gen).squeeze(1);
    auto mean = post.mean.gather(1, comp.view({M, 1, 1}).expand({M, 1, xt.size(1)})).squeeze(1);
    auto x1 = mean + post.var.index_select(0, comp).sqrt() *
                         at::randn(xt.sizes(), gen, at::TensorOptions().dtype(at::kFloat)).to(at::kDouble);
    auto pool = mix.sample(P, gen).to(at::kDouble);
    auto shift = stf_mean_shift(xt, x1, pool, alpha, sigma, n, 0);
    auto target = -(xt - a * x1) / (s * s) + (a / (s * s)) * shift;
    sum += target;
    sumsq += target * target;
  }
  auto mean = sum / draws;
  auto var = ((sumsq / draws - mean * mean) * (double(draws) / (draws - 1))).sum(1);
  TargetStats out;
  out.variance = var.mean().item<double>();
  out.bias_sq = (mean - score).pow(2).sum(1).mean().item<double>();
  out.bias_noise = out.variance / draws;
  out.dsm_exact = dsm_exact.mean().item<double>();
  out.score_sq = score.pow(2).sum(1).mean().item<double>();
  return out;
}

}  // namespace scorekit
