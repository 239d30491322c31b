#include "objectives/fd_ssm.hpp"

#include <algorithm>

#include "objectives/probes.hpp"
#include "objectives/scale_mode.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

FdSsmOptions FdSsmOptions::from_spec(const Json& spec) {
  FdSsmOptions o;
  SpecReader r(spec, "objective 'fd_ssm'");
  o.weighting = r.choice("weighting", o.weighting, Weighting::kinds());
  o.eps = r.positive("eps", o.eps);
  o.eps_mode = r.choice("eps_mode", o.eps_mode, scale_modes());
  r.finish();
  return o;
}

Json FdSsmOptions::to_spec() const {
  return {{"name", "fd_ssm"}, {"weighting", weighting}, {"eps", eps}, {"eps_mode", eps_mode}};
}

FdSsm::FdSsm(FdSsmOptions options) : opts_(std::move(options)) {
  Weighting check(opts_.weighting);
  if (!(opts_.eps > 0)) throw Error("objective 'fd_ssm': 'eps' must be positive");
  const auto& modes = scale_modes();
  if (std::find(modes.begin(), modes.end(), opts_.eps_mode) == modes.end())
    unknown_name("objective 'fd_ssm': eps_mode", opts_.eps_mode, modes);
}

void FdSsm::bind(const Sde& sde) {
  Objective::bind(sde);
  opts_.weighting = Weighting(opts_.weighting).resolved(sde).kind();
  opts_.eps_mode = scale_is_relative(opts_.eps_mode, sde, "fd_ssm", "eps_mode") ? "relative" : "absolute";
}

LossOutput FdSsm::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0);
  const bool relative = scale_is_relative(opts_.eps_mode, sde, "fd_ssm", "eps_mode");
  auto t = sample_times(sde, B, gen, x0.options());
  auto xt = draw_marginal(sde, x0, t, gen);
  auto radius = relative ? opts_.eps * sde.marginal(t).sigma : at::full({B}, opts_.eps, t.options());
  auto r = per_sample(radius, xt);
  auto v = sphere_directions(xt.sizes(), 1.0, gen, xt.options()) * r;
  auto s = model.score(at::cat({xt + v, xt - v}), at::cat({t, t}), /*copies=*/2);
  auto sp = s.slice(0, 0, B), sm = s.slice(0, B, 2 * B);
  const double d = static_cast<double>(xt.numel() / B);
  auto sum = sp + sm;
  auto per = 0.125 * sum_per_sample(sum * sum) + (d / 2) * sum_per_sample(v * (sp - sm)) / radius.pow(2);
  return {(per * Weighting(opts_.weighting)(sde, t)).mean(), {}};
}

}  // namespace scorekit
