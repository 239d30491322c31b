#pragma once
#include "objectives/objective.hpp"
#include "objectives/sliced.hpp"

namespace scorekit {

// Sliced score matching (Song et al. 2019), time-conditioned: ½(vᵀs)² + vᵀ∇s v on x_t ~ p_t.
// E[v vᵀ] = I for every probe kind, so the expectation is ½‖s‖² + tr ∇s: the same scale as DSM
// up to a constant. Needs only samples of p_t, so it accepts nonlinear SDEs.
class Ssm : public Objective {
 public:
  explicit Ssm(const Json& spec);
  std::string name() const override { return "ssm"; }
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
