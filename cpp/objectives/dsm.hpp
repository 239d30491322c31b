#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Denoising score matching, time-conditioned (Vincent 2011; Song et al. 2021):
// E_t λ(t) E ½‖s(x_t,t) + z/σ_t‖², x_t = α_t x_0 + σ_t z. Needs the closed-form kernel.
struct DsmOptions {
  std::string weighting = "auto";  // Weighting::kinds()
  static DsmOptions from_spec(const Json& spec);
  Json to_spec() const;  // {"name": "dsm", ...every option}
};

class Dsm : public Objective {
 public:
  explicit Dsm(DsmOptions options = {});
  explicit Dsm(const Json& spec) : Dsm(DsmOptions::from_spec(spec)) {}
  std::string name() const override { return "dsm"; }
  Json spec() const override { return opts_.to_spec(); }
  void bind(const Sde& sde) override;
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;
  const DsmOptions& options() const { return opts_; }

 private:
  DsmOptions opts_;
};

}  // namespace scorekit
