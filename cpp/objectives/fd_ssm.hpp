#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Finite-difference sliced score matching (Pang et al. 2020), time-conditioned. With v uniform on
// the sphere of radius ε, per sample
//   (1/8)‖s(x_t+v) + s(x_t−v)‖² + (d/2ε²)·vᵀ(s(x_t+v) − s(x_t−v)),
// SSM-VR with the Jacobian term as a central difference: two forwards in one batched call, one
// ordinary backward, no double backward. Needs only samples of p_t.
// The radius: "relative" ε = eps·σ_t (the noise scale, over which the score varies; needs an
// affine SDE), "absolute" ε = eps, "auto" (the default) relative on affine SDEs and absolute on the
// others. A fixed ε is far wider than the noise near t = eps on VE (σ_t ≈ 0.01 against ε = 0.1),
// where the central difference then measures a smoothed score, not its derivative; measured, the
// relative radius has 0.64–0.89× the absolute one's score error on VE and the same on VP
// (docs/objectives.md, "FD-SSM radius").
struct FdSsmOptions {
  std::string weighting = "auto";  // Weighting::kinds()
  double eps = 0.1;                // the radius, or its ratio to σ_t
  std::string eps_mode = "auto";  // relative | absolute | auto
  static FdSsmOptions from_spec(const Json& spec);
  Json to_spec() const;  // {"name": "fd_ssm", ...every option}
};

class FdSsm : public Objective {
 public:
  explicit FdSsm(FdSsmOptions options = {});
  explicit FdSsm(const Json& spec) : FdSsm(FdSsmOptions::from_spec(spec)) {}
  std::string name() const override { return "fd_ssm"; }
  Json spec() const override { return opts_.to_spec(); }
  void bind(const Sde& sde) override;
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;
  const FdSsmOptions& options() const { return opts_; }

 private:
  FdSsmOptions opts_;
};

}  // namespace scorekit
