#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Hyvärinen's implicit score matching, time-conditioned, with the exact Jacobian trace:
// per sample ½‖s(x_t,t)‖² + tr ∇ₓs(x_t,t) on x_t ~ p_t. The trace costs one backward pass per
// input dimension (kept differentiable), so this is for small d; ism_hutchinson estimates it.
struct IsmOptions {
  std::string weighting = "auto";  // Weighting::kinds()
  static IsmOptions from_spec(const Json& spec);
  Json to_spec() const;  // {"name": "ism", ...every option}
};

class Ism : public Objective {
 public:
  explicit Ism(IsmOptions options = {});
  explicit Ism(const Json& spec) : Ism(IsmOptions::from_spec(spec)) {}
  std::string name() const override { return "ism"; }
  Json spec() const override { return opts_.to_spec(); }
  void bind(const Sde& sde) override;
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;
  const IsmOptions& options() const { return opts_; }

 private:
  IsmOptions opts_;
};

}  // namespace scorekit
