#include "objectives/lcss.hpp"

#include <algorithm>
#include <cmath>

#include "objectives/scale_mode.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

LcssOptions LcssOptions::from_spec(const Json& spec) {
  LcssOptions o;
  SpecReader r(spec, "objective 'lcss'");
  o.weighting = r.choice("weighting", o.weighting, Weighting::kinds());
  o.sigma = r.positive("sigma", o.sigma);
  o.sigma_mode = r.choice("sigma_mode", o.sigma_mode, scale_modes());
  o.probe = r.choice("probe", o.probe, {"gaussian", "sphere"});
  o.draws = r.positive_integer("draws", o.draws);
  o.antithetic = r.boolean("antithetic", o.antithetic);
  o.control_variate = r.boolean("control_variate", o.control_variate);
  r.finish();
  return o;
}

Json LcssOptions::to_spec() const {
  return {{"name", "lcss"}, {"weighting", weighting}, {"sigma", sigma}, {"sigma_mode", sigma_mode},
          {"probe", probe}, {"draws", draws}, {"antithetic", antithetic}, {"control_variate", control_variate}};
}

Lcss::Lcss(LcssOptions options) : opts_(std::move(options)) {
  Weighting check(opts_.weighting);
  if (!(opts_.sigma > 0)) throw Error("objective 'lcss': 'sigma' must be positive");
  if (opts_.draws < 1) throw Error("objective 'lcss': 'draws' must be >= 1");
  if (opts_.probe != "gaussian" && opts_.probe != "sphere")
    unknown_name("objective 'lcss': probe", opts_.probe, {"gaussian", "sphere"});
  const auto& modes = scale_modes();
  if (std::find(modes.begin(), modes.end(), opts_.sigma_mode) == modes.end())
    unknown_name("objective 'lcss': sigma_mode", opts_.sigma_mode, modes);
}

at::Tensor lcss_per_sample(ScoreModel& model, const at::Tensor& x, const at::Tensor& t, const at::Tensor& sigma,
                           const at::Tensor& eps, bool antithetic, bool control_variate) {
  const int64_t B = x.size(0), K = eps.size(0);
  std::vector<int64_t> rep(x.dim(), 1);
  rep[0] = K;
  auto xs = K == 1 ? x : x.repeat(rep);                  // (K·B, ...); one draw needs no copy
  auto e = eps.reshape(xs.sizes());
  auto shift = per_sample(sigma.repeat({K}), xs) * e;
  std::vector<at::Tensor> inputs = {x, xs + shift};
  if (antithetic) inputs.push_back(xs - shift);
  const int64_t groups = antithetic ? 2 * K + 1 : K + 1;
  auto s = model.score(at::cat(inputs), t.repeat({groups}), /*copies=*/groups);
  auto s0 = s.slice(0, 0, B);
  auto sp = s.slice(0, B, (K + 1) * B);
  auto inv = (1.0 / sigma).repeat({K});
  at::Tensor stein;
  if (antithetic) {
    // The pair ±ε cancels the control variate exactly: ½(s(x+σε) − s(x−σε))ᵀε/σ.
    auto sm = s.slice(0, (K + 1) * B, (2 * K + 1) * B);
    stein = 0.5 * sum_per_sample((sp - sm) * e) * inv;
  } else {
    // E_ε[s(x_t)ᵀε] = 0, so subtracting it keeps the mean and removes the O(‖s‖/σ) noise.
    auto centred = control_variate ? sp - (K == 1 ? s0 : s0.repeat(rep)) : sp;
    stein = sum_per_sample(centred * e) * inv;
  }
  return 0.5 * sum_per_sample(s0 * s0) + stein.reshape({K, B}).mean(0);
}

void Lcss::bind(const Sde& sde) {
  Objective::bind(sde);
  opts_.weighting = Weighting(opts_.weighting).resolved(sde).kind();
  opts_.sigma_mode = scale_is_relative(opts_.sigma_mode, sde, "lcss", "sigma_mode") ? "relative" : "absolute";
}

LossOutput Lcss::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0);
  const bool relative = scale_is_relative(opts_.sigma_mode, sde, "lcss", "sigma_mode");
  auto t = sample_times(sde, B, gen, x0.options());
  auto xt = draw_marginal(sde, x0, t, gen);
  at::Tensor sigma;
  if (relative) {
    sigma = opts_.sigma * sde.marginal(t).sigma;
  } else {
    sigma = at::full({B}, opts_.sigma, t.options());
  }
  std::vector<int64_t> shape = {opts_.draws};
  for (auto s : xt.sizes()) shape.push_back(s);
  auto eps = randn(shape, gen, xt.options());
  if (opts_.probe == "sphere") {
    // ε/‖ε‖ is uniform on the unit sphere; √d makes E[εεᵀ] = I as for the Gaussian.
    const double d = static_cast<double>(xt.numel() / B);
    auto flat = eps.reshape({opts_.draws * B, -1});
    eps = (flat * (std::sqrt(d) / flat.norm(2, 1, true))).reshape(shape);
  }
  auto per = lcss_per_sample(model, xt, t, sigma, eps, opts_.antithetic, opts_.control_variate);
  return {(per * Weighting(opts_.weighting)(sde, t)).mean(), {}};
}

}  // namespace scorekit
