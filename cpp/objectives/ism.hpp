#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Hyvärinen's implicit score matching, time-conditioned, with the exact Jacobian trace:
// per sample ½‖s(x_t,t)‖² + tr ∇ₓs(x_t,t) on x_t ~ p_t. The trace costs one backward pass per
// input dimension (kept differentiable), so this is for small d; ism_hutchinson estimates it.
class Ism : public Objective {
 public:
  explicit Ism(const Json& spec);
  std::string name() const override { return "ism"; }
  Json spec() const override { return {{"name", "ism"}, {"weighting", weighting_.kind()}}; }
  bool needs_affine_sde() const override { return false; }
  void bind(const Sde& sde) override {
    Objective::bind(sde);
    weighting_ = weighting_.resolved(sde);
  }
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;

 private:
  Weighting weighting_;
};

}  // namespace scorekit
