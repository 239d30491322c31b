#pragma once
// The STF paper's measure of training-target noise, against the mixture truth. At a fixed t, for
// points x_t ~ p_t and repeated draws of the clean point x₁ ~ p(x₀ | x_t) (exact, from the mixture
// posterior) and of the n−1 reference points ~ p₀, the score target T is the DSM target
// −(x_t − α x₁)/σ² for n = 1 and the STF target for n > 1.
#include <ATen/ATen.h>

#include "data/gaussian_mixture.hpp"
#include "sde/sde.hpp"

namespace scorekit {

struct TargetStats {
  double variance = 0;      // E_{x_t} tr Cov(T | x_t), score space
  double bias_sq = 0;       // E_{x_t} ‖mean of T over the draws − ∇log p_t(x_t)‖²
  double bias_noise = 0;    // what bias_sq would be from the finite draws alone: variance / draws
  double dsm_exact = 0;     // E_{x_t} (α²/σ⁴) tr Cov(x₀ | x_t): the exact DSM target variance
  double score_sq = 0;      // E_{x_t} ‖∇log p_t(x_t)‖², for scale
};

// `points` values of x_t, `draws` targets per point.
TargetStats target_stats(const GaussianMixture& mixture, const Sde& sde, double t, int64_t n, int64_t points,
                         int64_t draws, at::Generator& gen);

}  // namespace scorekit
