#include "objectives/local_dsm.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {
const std::vector<std::string> kWeightings = {"sigma2", "g2_integral", "likelihood", "none"};
}

LocalDsmOptions LocalDsmOptions::from_spec(const Json& spec) {
  LocalDsmOptions o;
  SpecReader r(spec, "objective 'local_dsm'");
  o.lambda = r.positive("lambda", o.lambda);
  o.gap = r.number("gap", o.gap);
  o.linearisation = r.choice("linearisation", o.linearisation, {"carried", "frozen"});
  o.substeps = r.positive_integer("substeps", o.substeps);
  o.jacobian = r.choice("jacobian", o.jacobian, {"diagonal", "full"});
  o.weighting = r.choice("weighting", o.weighting, kWeightings);
  r.finish();
  return o;
}

Json LocalDsmOptions::to_spec() const {
  return {{"name", "local_dsm"}, {"lambda", lambda}, {"gap", gap}, {"linearisation", linearisation},
          {"substeps", substeps}, {"jacobian", jacobian}, {"weighting", weighting}};
}

LocalDsm::LocalDsm(LocalDsmOptions options) : opts_(std::move(options)) {
  const std::string what = "objective 'local_dsm'";
  if (!(opts_.lambda > 0)) throw Error(what + ": lambda must be positive");
  if (opts_.gap < 0) throw Error(what + ": gap must be >= 0 (0 selects the lambda schedule)");
  if (opts_.substeps < 1) throw Error(what + ": substeps must be >= 1");
  parse_linearisation(opts_.linearisation);
  if (opts_.jacobian != "diagonal" && opts_.jacobian != "full")
    unknown_name(what + ": jacobian", opts_.jacobian, {"diagonal", "full"});
  if (std::find(kWeightings.begin(), kWeightings.end(), opts_.weighting) == kWeightings.end())
    unknown_name(what + ": weighting", opts_.weighting, kWeightings);
}

at::Tensor LocalDsm::start_times(const Sde& sde, const at::Tensor& t) const {
  if (opts_.gap > 0) return (t - opts_.gap).clamp_min(0);
  return sde.g2_integral_start(t, opts_.lambda);
}

LocalDsm::Draw LocalDsm::draw(const Sde& sde, const at::Tensor& ys, const at::Tensor& s, const at::Tensor& t,
                              at::Generator& gen) const {
  at::NoGradGuard no_grad;
  const auto variant = parse_linearisation(opts_.linearisation);
  const int64_t B = ys.size(0), d = ys.numel() / B;
  auto eps = randn(ys.sizes(), gen, ys.options()).to(ys.dtype());
  Draw out;
  if (opts_.jacobian == "diagonal") {
    auto q = linearised_transition(sde, ys, s, t, variant, opts_.substeps);
    auto sd = q.var.sqrt();
    out.yt = q.mean + sd * eps;
    out.target = -eps / sd;  // −Σ⁻¹(y_t − m)
    out.weight = q.var.reshape({B, -1}).mean(1);
  } else {
    if (d > 64) throw Error("objective 'local_dsm': \"jacobian\": \"full\" is for small dimensions (d <= 64), got d = " + std::to_string(d));
    auto q = linearised_transition_full(sde, ys, s, t, variant, opts_.substeps);
    auto L = at::linalg_cholesky(q.cov);                         // Σ = L Lᵀ
    auto e = eps.reshape({B, d, 1}).to(at::kDouble);
    out.yt = (q.mean + at::matmul(L, e).squeeze(-1)).reshape(ys.sizes()).to(ys.dtype());
    // −Σ⁻¹ L ε = −L⁻ᵀ ε.
    auto target = -at::linalg_solve_triangular(L.transpose(1, 2), e, /*upper=*/true);
    out.target = target.squeeze(-1).reshape(ys.sizes()).to(ys.dtype());
    out.weight = at::diagonal(q.cov, 0, 1, 2).mean(1).to(ys.dtype());
  }
  if (opts_.weighting == "g2_integral") out.weight = sde.g2_integral(at::zeros_like(t), t).to(ys.dtype());
  else if (opts_.weighting == "likelihood") out.weight = sde.diffusion(t).pow(2).to(ys.dtype());
  else if (opts_.weighting == "none") out.weight = at::ones({B}, ys.options());
  return out;
}

LossOutput LocalDsm::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  auto t = sample_times(sde, x0.size(0), gen, x0.options());
  auto s = start_times(sde, t);
  at::Tensor ys;
  {
    at::NoGradGuard no_grad;
    // Affine SDEs have the exact marginal at s; the others draw it from the path pool.
    ys = draw_marginal(sde, x0, s, gen);
  }
  auto q = draw(sde, ys, s, t, gen);
  auto residual = model.score(q.yt, t) - q.target;
  auto per = 0.5 * sum_per_sample(residual * residual) * q.weight;
  return {per.mean(), {{"mean_gap", (t - s).mean().item<double>()}}};
}

}  // namespace scorekit
