#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Local curvature smoothing with Stein's identity (Osada et al. 2024), time-conditioned. The trace
// of Hyvärinen's objective is smoothed over N(x_t, σ²I); Stein's identity turns the smoothed trace
// into (1/σ)·E_ε[s(x_t+σε)ᵀε], so per sample
//   ½‖s(x_t,t)‖² + (1/σ)·s(x_t+σε, t)ᵀε
// with forward passes only. The norm term stays at x_t: moved to x_t+σε the loss is DSM plus a
// constant (docs/objectives.md). x_t need only be a sample of p_t.
struct LcssOptions {
  std::string weighting = "auto"; // Weighting::kinds()
  double sigma = 0.1;            // absolute σ, or a fraction of the marginal std σ_t
  // "relative": σ = sigma·σ_t (needs an affine SDE); "absolute": σ = sigma; "auto": relative on
  // affine SDEs, absolute on the others.
  std::string sigma_mode = "auto";
  // "gaussian": ε ~ N(0, I), Stein's identity, the trace smoothed over N(x_t, σ²I) (the paper's);
  // "sphere": ε uniform on the sphere of radius √d, the divergence theorem, the trace smoothed over
  // the ball of radius σ√d. The same derivation without the radius's χ² noise: the Stein term's
  // variance loses the part from tr(J)², so it vanishes where the Jacobian is isotropic
  // (docs/objectives.md, "LCSS").
  std::string probe = "gaussian";
  int64_t draws = 1;             // K draws of ε per sample
  bool antithetic = false;       // also evaluate x_t−σε and average the pair
  bool control_variate = true;   // subtract the zero-mean s(x_t)ᵀε/σ
  static LcssOptions from_spec(const Json& spec);
  Json to_spec() const;  // {"name": "lcss", ...every option}
};

class Lcss : public Objective {
 public:
  explicit Lcss(LcssOptions options = {});
  explicit Lcss(const Json& spec) : Lcss(LcssOptions::from_spec(spec)) {}
  std::string name() const override { return "lcss"; }
  Json spec() const override { return opts_.to_spec(); }
  void bind(const Sde& sde) override;
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;
  const LcssOptions& options() const { return opts_; }

 private:
  LcssOptions opts_;
};

// The unweighted per-sample LCSS value (B) at centres x (B, ...) with widths sigma (B) and noise
// eps (K, B, ...); all evaluations go through the model in one call.
at::Tensor lcss_per_sample(ScoreModel& model, const at::Tensor& x, const at::Tensor& t, const at::Tensor& sigma,
                           const at::Tensor& eps, bool antithetic, bool control_variate);

}  // namespace scorekit
