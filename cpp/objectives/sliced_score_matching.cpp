#include "objectives/sliced_score_matching.hpp"

#include <algorithm>

#include "objectives/jacobian.hpp"
#include "objectives/probes.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {

struct Keys {
  const char* kind;
  const char* count;
  std::vector<std::string> kinds;  // the default first
  bool projected_norm;
};

Keys keys_of(const std::string& name) {
  if (name == "ssm") return {"projection", "projections", {"sphere", "gaussian"}, true};
  if (name == "ssm_vr") return {"projection", "projections", {"gaussian", "sphere"}, false};
  if (name == "ism_hutchinson") return {"probe", "probes", {"rademacher", "gaussian"}, false};
  unknown_name("sliced objective", name, {"ssm", "ssm_vr", "ism_hutchinson"});
}

}  // namespace

SlicedOptions SlicedOptions::defaults(const std::string& name) {
  const auto k = keys_of(name);
  SlicedOptions o;
  o.probe = k.kinds.front();
  o.projected_norm = k.projected_norm;
  return o;
}

SlicedOptions SlicedOptions::from_spec(const std::string& name, const Json& spec) {
  const auto k = keys_of(name);
  auto o = defaults(name);
  SpecReader r(spec, "objective '" + name + "'");
  o.weighting = r.choice("weighting", o.weighting, Weighting::kinds());
  o.probe = r.choice(k.kind, o.probe, k.kinds);
  o.probes = r.positive_integer(k.count, o.probes);
  r.finish();
  return o;
}

Json SlicedOptions::to_spec(const std::string& name) const {
  const auto k = keys_of(name);
  return {{"name", name}, {"weighting", weighting}, {k.kind, probe}, {k.count, probes}};
}

SlicedScoreMatching::SlicedScoreMatching(std::string name, SlicedOptions options)
    : name_(std::move(name)), opts_(std::move(options)) {
  const auto k = keys_of(name_);
  Weighting check(opts_.weighting);
  if (std::find(k.kinds.begin(), k.kinds.end(), opts_.probe) == k.kinds.end())
    unknown_name("objective '" + name_ + "': " + k.kind, opts_.probe, k.kinds);
  if (opts_.probes < 1) throw Error("objective '" + name_ + "': " + k.count + " must be >= 1");
}

SlicedScoreMatching::SlicedScoreMatching(const std::string& name, const Json& spec)
    : SlicedScoreMatching(name, SlicedOptions::from_spec(name, spec)) {}

void SlicedScoreMatching::bind(const Sde& sde) {
  Objective::bind(sde);
  opts_.weighting = Weighting(opts_.weighting).resolved(sde).kind();
}

LossOutput SlicedScoreMatching::evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t B = x0.size(0), n = opts_.probes;
  auto t = sample_times(sde, B, gen, x0.options());
  auto xt = draw_marginal(sde, x0, t, gen);
  std::vector<int64_t> rep(xt.dim(), 1);
  rep[0] = n;
  auto x = xt.detach().repeat(rep).requires_grad_(true);
  auto v = draw_probes(opts_.probe, x.sizes(), gen, x.options());
  auto s = model.score(x, t.repeat({n}), /*copies=*/n);
  auto norm = opts_.projected_norm ? 0.5 * sum_per_sample(s * v).pow(2) : 0.5 * sum_per_sample(s * s);
  auto per = (norm + jacobian_quadratic_form(s, x, v)).reshape({n, B}).mean(0);
  return {(per * Weighting(opts_.weighting)(sde, t)).mean(), {}};
}

}  // namespace scorekit
