#pragma once
// Hyvärinen's objective with its trace sliced, registered under three names (objectives/registry.cpp):
// on x_t ~ p_t, per sample  norm + vᵀ∇s v  averaged over n probes v with E[v vᵀ] = I, where
// norm is ½(vᵀs)² (ssm; Song et al. 2019) or ½‖s‖² (ssm_vr, the variance-reduced form; and
// ism_hutchinson, Hutchinson's trace estimate). All have expectation ½‖s‖² + tr ∇s, DSM's scale up
// to a constant, and need only samples of p_t, so they accept nonlinear SDEs. The n probes are
// evaluated in one forward pass over the batch repeated n times (its copies share dropout masks);
// vᵀ∇s v = vᵀ∇ₓ(vᵀs) costs one differentiable backward (the double backward).
#include "objectives/objective.hpp"

namespace scorekit {

// The names differ in their defaults and in the JSON keys of the probe (docs/objectives.md):
//   ssm:            "projection" sphere|gaussian (sphere),     "projections" n (1), norm ½(vᵀs)²
//   ssm_vr:         "projection" gaussian|sphere (gaussian),   "projections" n (1), norm ½‖s‖²
//   ism_hutchinson: "probe" rademacher|gaussian (rademacher),  "probes" n (1),      norm ½‖s‖²
struct SlicedOptions {
  std::string weighting = "auto";  // Weighting::kinds()
  std::string probe;               // a probe_kinds() name
  int64_t probes = 1;              // probes per sample
  bool projected_norm = false;     // true: ½(vᵀs)² (ssm); false: ½‖s‖²

  static SlicedOptions defaults(const std::string& name);  // ssm, ssm_vr or ism_hutchinson
  static SlicedOptions from_spec(const std::string& name, const Json& spec);
  Json to_spec(const std::string& name) const;  // {"name": name, ...every option}
};

class SlicedScoreMatching : public Objective {
 public:
  SlicedScoreMatching(std::string name, SlicedOptions options);
  SlicedScoreMatching(const std::string& name, const Json& spec);
  std::string name() const override { return name_; }
  Json spec() const override { return opts_.to_spec(name_); }
  void bind(const Sde& sde) override;
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;
  const SlicedOptions& options() const { return opts_; }

 private:
  std::string name_;
  SlicedOptions opts_;
};

}  // namespace scorekit
