#pragma once
#include "objectives/linearised_transition.hpp"
#include "objectives/objective.hpp"

namespace scorekit {

// local-DSM (automated DSM for nonlinear forward SDEs; Singhal, Goldstein & Ranganath 2024):
// t ~ U(eps, T); s with ∫_s^t g² = lambda (or s = t − gap); y_s by simulating the forward SDE from
// y_0 (exactly for affine SDEs); y_t from the Gaussian transition of the SDE linearised about y_s
// (objectives/linearised_transition.hpp); loss ½ w ‖s_θ(y_t, t) + Σ⁻¹(y_t − m)‖².
// Since ∇log q_t(y_t) = E[∇log q(y_t | y_s) | y_t] for any s < t, this is explicit score matching
// up to a constant and the linearisation bias, which the λ schedule keeps uniform in t.
// Weighting w: "sigma2" = tr(Σ_{t|s})/d (the ε-prediction scale, like DSM's σ_t²; ≈ λ under the
// schedule), "g2_integral" = ∫_0^t g² (DSM's σ_t² at small t), "likelihood" = g(t)², "none" = 1. Spec keys: lambda (0.01), gap (0: use lambda),
// linearisation (carried|frozen), substeps (4), jacobian (diagonal|full), weighting (sigma2).
class LocalDsm : public Objective {
 public:
  explicit LocalDsm(const Json& spec);
  std::string name() const override { return "local_dsm"; }
  Json spec() const override;
  bool needs_affine_sde() const override { return false; }
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;

  // The start time of the hop ending at t.
  at::Tensor start_times(const Sde& sde, const at::Tensor& t) const;
  // y_t and the regression target −Σ⁻¹(y_t − m) given y_s; also the weight w (B).
  struct Draw {
    at::Tensor yt, target, weight;
  };
  Draw draw(const Sde& sde, const at::Tensor& ys, const at::Tensor& s, const at::Tensor& t, at::Generator& gen) const;

 private:
  double lambda_ = 0.01, gap_ = 0.0;
  std::string linearisation_ = "carried", jacobian_ = "diagonal", weighting_ = "sigma2";
  int64_t substeps_ = 4;
};

}  // namespace scorekit
