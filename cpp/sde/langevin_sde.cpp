#include "sde/langevin_sde.hpp"

#include <cmath>

#include "sde/priors/logistic_prior.hpp"
#include "sde/priors/mog_prior.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

LangevinSde::LangevinSde(std::string name, PriorPtr prior, Params params, Json spec)
    : name_(std::move(name)), prior_(std::move(prior)), p_(params), spec_(std::move(spec)) {
  if (p_.beta_max < p_.beta_min) throw Error("sde '" + name_ + "': beta_max must be >= beta_min");
  if (!(p_.beta_min > 0)) throw Error("sde '" + name_ + "': beta_min must be positive");
  if (!(p_.eps > 0 && p_.eps < 1)) throw Error("sde '" + name_ + "': eps must be in (0, 1)");
  eps_ = p_.eps;
}

at::Tensor LangevinSde::beta(const at::Tensor& t) const { return p_.beta_min + t * (p_.beta_max - p_.beta_min); }

at::Tensor LangevinSde::beta_integral(const at::Tensor& t) const {
  return p_.beta_min * t + 0.5 * (p_.beta_max - p_.beta_min) * t * t;
}

at::Tensor LangevinSde::drift(const at::Tensor& x, const at::Tensor& t) const {
  return (0.5 * p_.noise) * per_sample(beta(t), x) * prior_->score(x);
}

at::Tensor LangevinSde::drift_jacobian_diagonal(const at::Tensor& x, const at::Tensor& t) const {
  return (0.5 * p_.noise) * per_sample(beta(t), x) * prior_->score_derivative(x);
}

at::Tensor LangevinSde::diffusion(const at::Tensor& t) const { return (p_.noise * beta(t)).sqrt(); }

at::Tensor LangevinSde::g2_integral(const at::Tensor& s, const at::Tensor& t) const {
  return p_.noise * (beta_integral(t) - beta_integral(s));
}

at::Tensor LangevinSde::g2_integral_start(const at::Tensor& t, double lambda) const {
  // Solve B(s) = B(t) − λ/c, B quadratic in s: the positive root.
  auto target = beta_integral(t) - lambda / p_.noise;
  const double b0 = p_.beta_min, slope = p_.beta_max - p_.beta_min;
  at::Tensor s;
  if (slope < 1e-12) s = target / b0;
  else s = ((b0 * b0 + 2 * slope * target.clamp_min(0)).sqrt() - b0) / slope;
  return at::where(target > 0, at::minimum(s, t), at::zeros_like(t));
}

at::Tensor LangevinSde::prior_sample(at::IntArrayRef shape, at::Generator& gen) const {
  return prior_->sample(shape, gen);
}

at::Tensor LangevinSde::prior_log_prob(const at::Tensor& x) const { return prior_->log_prob(x); }

std::pair<at::Tensor, at::Tensor> LangevinSde::perturb(const at::Tensor& x0, const at::Tensor& t,
                                                       at::Generator& gen) const {
  return {simulate(x0, at::zeros_like(t), t, gen), at::Tensor()};
}

LangevinSde::Params read_langevin_params(SpecReader& r, LangevinSde::Params d) {
  d.beta_min = r.positive("beta_min", d.beta_min);
  d.beta_max = r.positive("beta_max", d.beta_max);
  d.steps = r.positive_integer("steps", d.steps);
  d.eps = r.positive("eps", d.eps);
  return d;
}

namespace {
// β reaches 20, so Euler–Maruyama needs small steps near T: with 100 steps the discretised chain's
// stationary variance is ~15% too wide for the default MoG prior; 400 steps keep it within ~4%.
LangevinSde::Params prior_defaults() {
  LangevinSde::Params d;
  d.steps = 400;
  return d;
}

Json langevin_spec(const std::string& name, const LangevinSde::Params& p, const Json& prior) {
  return {{"name", name}, {"beta_min", p.beta_min}, {"beta_max", p.beta_max},
          {"steps", p.steps}, {"eps", p.eps}, {"prior", prior}};
}
}  // namespace

SdePtr make_langevin_mog(const Json& spec) {
  SpecReader r(spec, "sde 'langevin_mog'");
  auto p = read_langevin_params(r, prior_defaults());
  auto prior = std::make_shared<MogPrior>(r.has("prior") ? r.raw("prior") : Json::object());
  r.finish();
  return std::make_shared<LangevinSde>("langevin_mog", prior, p, langevin_spec("langevin_mog", p, prior->spec()));
}

SdePtr make_langevin_logistic(const Json& spec) {
  SpecReader r(spec, "sde 'langevin_logistic'");
  auto p = read_langevin_params(r, prior_defaults());
  auto prior = std::make_shared<LogisticPrior>(r.has("prior") ? r.raw("prior") : Json::object());
  r.finish();
  return std::make_shared<LangevinSde>("langevin_logistic", prior, p,
                                       langevin_spec("langevin_logistic", p, prior->spec()));
}

}  // namespace scorekit
