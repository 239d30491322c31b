#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Denoising score matching, time-conditioned (Vincent 2011; Song et al. 2021):
// E_t λ(t) E ½‖s(x_t,t) + z/σ_t‖², x_t = α_t x_0 + σ_t z.
class Dsm : public Objective {
 public:
  explicit Dsm(const Json& spec);
  std::string name() const override { return "dsm"; }
  Json spec() const override { return {{"name", "dsm"}, {"weighting", weighting_.kind()}}; }
  void bind(const Sde& sde) override {
    Objective::bind(sde);
    weighting_ = weighting_.resolved(sde);
  }
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;

 private:
  Weighting weighting_;
};

}  // namespace scorekit
