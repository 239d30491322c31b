#pragma once
#include "objectives/objective.hpp"
#include "objectives/sliced.hpp"

namespace scorekit {

// Hyvärinen's objective with Hutchinson's trace estimate: ½‖s‖² + vᵀ∇s v, Rademacher or Gaussian v.
// E[v vᵀ] = I for every probe kind, so the expectation is ½‖s‖² + tr ∇s: the same scale as DSM
// up to a constant. Needs only samples of p_t, so it accepts nonlinear SDEs.
class IsmHutchinson : public Objective {
 public:
  explicit IsmHutchinson(const Json& spec);
  std::string name() const override { return "ism_hutchinson"; }
  Json spec() const override;
  bool needs_affine_sde() const override { return false; }
  void bind(const Sde& sde) override {
    Objective::bind(sde);
    weighting_ = weighting_.resolved(sde);
  }
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;

 private:
  Weighting weighting_;
  SlicedOptions opts_;
};

}  // namespace scorekit
