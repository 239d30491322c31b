#pragma once
// EDM2's post-hoc EMA (Karras et al. 2024, "Analyzing and improving the training dynamics of
// diffusion models", sec. 3 and app. C). A power-function EMA averages the weights θ(τ), τ ≤ t,
// with the profile p_{γ,t}(τ) = (γ+1) τ^γ / t^(γ+1); its update is θ̂ ← β θ̂ + (1 − β) θ with
// β = (1 − 1/t)^(γ+1). Its length relative to training time is
//   σ_rel = sqrt((γ+1) / ((γ+2)² (γ+3))).
// Training keeps two such EMAs (two σ_rel) and stores snapshots of them every few steps; any other
// σ_rel at any snapshot time t_r is then the least-squares combination Σ x_i θ̂_i of the snapshots
// whose profiles best match p_{γ_r,t_r} in L2 over τ: A x = b with A_ij = <p_i, p_j>, b_i = <p_i, p_r>.
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace scorekit {

// γ of a σ_rel (the largest real root of γ³ + 7γ² + (16 − σ⁻²)γ + 12 − σ⁻² = 0); σ_rel must lie in
// (0, sqrt(1/12) ≈ 0.2887), where γ > 0.
double sigma_rel_to_gamma(double sigma_rel);
double gamma_to_sigma_rel(double gamma);
// β of the update at step t >= 1 (t counts steps including this one).
double power_ema_beta(double gamma, int64_t t);

// One profile: its exponent and time (steps).
struct EmaProfile {
  double gamma;
  int64_t t;
};
// <p_a, p_b> over τ ∈ [0, ∞) in closed form.
double profile_dot(const EmaProfile& a, const EmaProfile& b);
// Weights x of the snapshots `in` that best reproduce the profile `out` (double precision).
std::vector<double> posthoc_ema_coefficients(const std::vector<EmaProfile>& in, const EmaProfile& out);

}  // namespace scorekit
