#include "objectives/fd_ssm.hpp"

#include "objectives/probes.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

FdSsm::FdSsm(const Json& spec) {
  SpecReader r(spec, "objective 'fd_ssm'");
  weighting_ = Weighting(r.choice("weighting", "auto", Weighting::kinds()));
  eps_ = r.positive("eps", 0.1);
  eps_mode_ = r.choice("eps_mode", "auto", {"auto", "relative", "absolute"});
  r.finish();
}

namespace {
bool relative_radius(const std::string& mode, const Sde& sde) {
  if (mode == "auto") return sde.is_affine();
  if (mode == "relative" && !sde.is_affine())
    throw Error("objective 'fd_ssm': eps_mode 'relative' needs the marginal std of an affine SDE; use "
                "\"eps_mode\": \"absolute\" with '" + sde.name() + "', or leave it out");
  return mode == "relative";
}
}  // namespace

void FdSsm::bind(const Sde& sde) {
  Objective::bind(sde);
  weighting_ = weighting_.resolved(sde);
  eps_mode_ = relative_radius(eps_mode_, sde) ? "relative" : "absolute";
}

LossOutput FdSsm::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0);
  const bool relative = relative_radius(eps_mode_, sde);
  auto t = sample_times(sde, B, gen, x0.options());
  auto xt = sde.perturb(x0, t, gen).first.detach();
  auto radius = relative ? eps_ * sde.marginal(t).sigma : at::full({B}, eps_, t.options());
  auto r = per_sample(radius, xt);
  auto v = sphere_directions(xt.sizes(), 1.0, gen, xt.options()) * r;
  auto s = model.score(at::cat({xt + v, xt - v}), at::cat({t, t}), /*copies=*/2);
  auto sp = s.slice(0, 0, B), sm = s.slice(0, B, 2 * B);
  const double d = static_cast<double>(xt.numel() / B);
  auto sum = sp + sm;
  auto per = 0.125 * sum_per_sample(sum * sum) + (d / 2) * sum_per_sample(v * (sp - sm)) / radius.pow(2);
  return {(per * weighting_(sde, t)).mean(), {}};
}

}  // namespace scorekit
