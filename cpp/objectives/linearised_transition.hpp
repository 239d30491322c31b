#pragma once
// The Gaussian transition q(y_t | y_s) of the forward SDE with its drift linearised about y_s:
//   f(y, τ) ≈ f(y_s, τ*) + J_f(y_s, τ*)(y − y_s),
// "frozen": τ* = s for the whole hop and g² frozen at g(s)² (a constant-coefficient SDE);
// "carried": the coefficients follow τ ∈ [s, t], integrated by `substeps` exponential steps, each
// with coefficients at its midpoint and the exact ∫g² over it. For f = β(τ) h(y), g² = c β(τ) with
// β linear (VP, every Langevin SDE here) the midpoint rule integrates ∫β exactly, so the carried
// transition is the exact transition of the linearised SDE for any substep count.
#include <ATen/ATen.h>

#include <string>

#include "sde/sde.hpp"

namespace scorekit {

enum class Linearisation { Frozen, Carried };
Linearisation parse_linearisation(const std::string& name);

// A Gaussian with diagonal covariance: mean and per-coordinate variance, both of y_s's shape.
struct DiagonalGaussian {
  at::Tensor mean, var;
};

// Element-wise drifts: closed form per coordinate. s, t: (B) with s < t.
DiagonalGaussian linearised_transition(const Sde& sde, const at::Tensor& ys, const at::Tensor& s, const at::Tensor& t,
                                       Linearisation variant, int64_t substeps = 4);

// A Gaussian with full covariance for flattened y: mean (B, d), covariance (B, d, d), double.
struct FullGaussian {
  at::Tensor mean, cov;
};

// Any drift with Jacobian-vector products, small d: the Jacobian is assembled from d JVPs and each
// step's moments come from Van Loan's block matrix exponential (objectives/van_loan.hpp).
FullGaussian linearised_transition_full(const Sde& sde, const at::Tensor& ys, const at::Tensor& s, const at::Tensor& t,
                                        Linearisation variant, int64_t substeps = 4);

}  // namespace scorekit
