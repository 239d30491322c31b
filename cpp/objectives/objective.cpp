#include "objectives/objective.hpp"

#include "objectives/registry.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Weighting::Weighting(std::string kind, double sigma_data) : kind_(std::move(kind)), sigma_data_(sigma_data) {
  bool ok = false;
  for (const auto& k : kinds()) ok |= (k == kind_);
  if (!ok) unknown_name("weighting", kind_, kinds());
}

Weighting Weighting::resolved(const Sde& sde) const {
  if (kind_ == "auto") return Weighting(sde.is_affine() ? "sigma2" : "g2_integral", sigma_data_);
  if (kind_ == "sigma2" && !sde.is_affine())
    throw Error("weighting 'sigma2' needs an affine SDE; use 'g2_integral' (its counterpart), 'likelihood' or 'none' "
                "with '" + sde.name() + "', or leave \"weighting\" out");
  if (kind_ == "edm" && !sde.is_affine())
    throw Error("weighting 'edm' needs an affine SDE; use 'g2_integral', 'likelihood' or 'none' with '" + sde.name() +
                "', or leave \"weighting\" out");
  return *this;
}

at::Tensor Weighting::operator()(const Sde& sde, const at::Tensor& t) const {
  const std::string kind = resolved(sde).kind();
  if (kind == "sigma2" || kind == "edm") return (*this)(sde, t, sde.marginal(t));
  if (kind == "g2_integral") return sde.g2_integral(at::zeros_like(t), t);
  if (kind == "likelihood") return sde.diffusion(t).pow(2);
  return at::ones_like(t);
}

at::Tensor Weighting::operator()(const Sde& sde, const at::Tensor& t, const AffineMarginal& m) const {
  const std::string kind = resolved(sde).kind();
  if (kind == "sigma2") return m.sigma.pow(2);
  if (kind == "edm") {
    auto s = m.sigma / m.alpha;  // σ̃
    const double sd2 = sigma_data_ * sigma_data_;
    return (m.alpha * s).pow(2) * (s * s + sd2) / sd2;  // alpha² σ̃⁴ (σ̃² + σ_d²)/(σ̃ σ_d)²
  }
  return (*this)(sde, t);  // the weightings that do not use the marginal
}

at::Tensor sample_times(const Sde& sde, int64_t n, at::Generator& gen, const at::TensorOptions& opts) {
  return sde.eps() + (sde.T() - sde.eps()) * rand({n}, gen, opts);
}

Json Objective::full_spec() const {
  Json j = spec();
  if (!time_sampling_.is_uniform()) j["time_sampling"] = time_sampling_.spec();
  if (!pool_.options().is_default()) j["path_pool"] = pool_.options().to_spec();
  return j;
}

at::Tensor Objective::draw_marginal(const Sde& sde, const at::Tensor& x0, const at::Tensor& t, at::Generator& gen) {
  if (sde.is_affine() || !pool_.options().enabled) return sde.perturb(x0, t, gen).first.detach();
  return pool_.draw(sde, x0, t, gen);
}

void Objective::bind(const Sde& sde) { check_compatible(*this, sde); }

LossOutput Objective::loss(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  // The model's dropout draws from the run's generator for this loss only.
  struct Scope {
    DropoutDraws& draws;
    at::Generator* previous;
    ~Scope() { draws.gen = previous; }
  } scope{model.dropout_draws(), model.dropout_draws().gen};
  model.dropout_draws().gen = &gen;
  return evaluate(model, sde, x0, gen);
}

bool Objective::needs_affine_sde() const {
  for (const auto& e : objective_table())
    if (e.name == name()) return e.affine_only;
  return true;
}

void check_compatible(const Objective& objective, const Sde& sde) {
  if (objective.needs_affine_sde() && !sde.is_affine()) {
    std::vector<std::string> ok;
    for (const auto& e : objective_table())
      if (!e.affine_only) ok.push_back(e.name);
    throw Error("objective '" + objective.name() + "' needs an affine SDE with a closed-form kernel, and '" +
                sde.name() + "' is nonlinear; objectives that accept it: " + join(ok));
  }
}

}  // namespace scorekit
