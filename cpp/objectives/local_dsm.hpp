#pragma once
#include "objectives/linearised_transition.hpp"
#include "objectives/objective.hpp"

namespace scorekit {

// local-DSM (automated DSM for nonlinear forward SDEs; Singhal, Goldstein & Ranganath 2024):
// t ~ U(eps, T); s with ∫_s^t g² = lambda (or s = t − gap); y_s ~ q_s (Objective::draw_marginal:
// the path pool, or the exact kernel of an affine SDE); y_t from the Gaussian transition of the SDE
// linearised about y_s (objectives/linearised_transition.hpp); loss ½ w ‖s_θ(y_t, t) + Σ⁻¹(y_t − m)‖².
// Since ∇log q_t(y_t) = E[∇log q(y_t | y_s) | y_t] for any s < t, this is explicit score matching
// up to a constant and the linearisation bias, which the λ schedule keeps uniform in t.
// Weighting w: "sigma2" = tr(Σ_{t|s})/d (the ε-prediction scale, like DSM's σ_t²; ≈ λ under the
// schedule), "g2_integral" = ∫_0^t g² (DSM's σ_t² at small t), "likelihood" = g(t)², "none" = 1.
struct LocalDsmOptions {
  double lambda = 0.1;                     // ∫_s^t g² of a hop (docs/nonlinear.md: the λ study)
  double gap = 0.0;                        // > 0: s = t − gap instead of the λ schedule
  std::string linearisation = "carried";   // carried | frozen (objectives/linearised_transition.hpp)
  int64_t substeps = 4;                    // exponential steps of a carried hop
  std::string jacobian = "diagonal";       // diagonal (element-wise drifts) | full (d <= 64, Van Loan)
  std::string weighting = "sigma2";        // sigma2 | g2_integral | likelihood | none, as above
  static LocalDsmOptions from_spec(const Json& spec);
  Json to_spec() const;  // {"name": "local_dsm", ...every option}
};

class LocalDsm : public Objective {
 public:
  explicit LocalDsm(LocalDsmOptions options = {});
  explicit LocalDsm(const Json& spec) : LocalDsm(LocalDsmOptions::from_spec(spec)) {}
  std::string name() const override { return "local_dsm"; }
  Json spec() const override { return opts_.to_spec(); }
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;
  const LocalDsmOptions& options() const { return opts_; }

  // The start time of the hop ending at t.
  at::Tensor start_times(const Sde& sde, const at::Tensor& t) const;
  // y_t and the regression target −Σ⁻¹(y_t − m) given y_s; also the weight w (B).
  struct Draw {
    at::Tensor yt, target, weight;
  };
  Draw draw(const Sde& sde, const at::Tensor& ys, const at::Tensor& s, const at::Tensor& t, at::Generator& gen) const;

 private:
  LocalDsmOptions opts_;
};

}  // namespace scorekit
