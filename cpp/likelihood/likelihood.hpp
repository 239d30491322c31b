#pragma once
// Exact likelihood through the probability-flow ODE (Song et al. 2021, App. D.2; Chen et al. 2018):
// with v = f − ½ g² s, d log p_t(x_t)/dt = −∇·v, so
//   log p_eps(x) = log p_T(x_T) + ∫_eps^T ∇·v(x_t, t) dt,
// integrated together with x_t by adaptive Dormand–Prince RK45 from eps to T (state in double
// precision). The divergence is exact (one backward pass per dimension, for small d) or
// Hutchinson's estimator E[εᵀ (∂v/∂x) ε] with K probes drawn once per sample and kept along the
// path (Rademacher or Gaussian). The prior term is the SDE's prior log-density at x_T.
//
// Bits/dim for 8-bit data ("dequantize": true): the input holds integers k in [0, 255], mapped to
// the model's space by y = 2 (k + u) / 256 − 1 with u ~ U[0,1)^D, i.e. data scaled to [−1, 1]
// (the centred scaling of the score-SDE code). The reported NLL is the dequantised bound on
// −log P(k): −log p(y) + D log(256 / 2) (the Jacobian of k → y), so
// bits_per_dim = nll / (D ln 2) = −log p(y) / (D ln 2) + 7, as the papers report it. Without
// dequantisation, nll = −log p(x) and bits_per_dim is that in bits per dimension.
#include <ATen/ATen.h>

#include "models/score_model.hpp"
#include "util/progress.hpp"

namespace scorekit {

struct NllResult {
  at::Tensor nll;  // (B) nats per sample, CPU double
  double mean_nats = 0;
  double bits_per_dim = 0;
  int64_t nfe = 0;  // score-network forward evaluations (each exact divergence adds d backward passes)
};

// options: {"divergence": "exact"|"hutchinson", "probes": K, "noise": "rademacher"|"gaussian",
//           "rtol": 1e-5, "atol": 1e-5, "dequantize": false}; unknown keys are errors.
NllResult negative_log_likelihood(ScoreModel& model, const Sde& sde, const at::Tensor& x, const Json& options,
                                  at::Generator& gen, const ProgressFn& progress = nullptr);

}  // namespace scorekit
