#pragma once
// Sample and score quality against the truth.
#include <ATen/ATen.h>

#include "data/gaussian_mixture.hpp"
#include "models/score_model.hpp"

namespace scorekit {

// Sliced Wasserstein-2 distance between two sample sets (flattened to (n, d)): the root mean over
// random unit directions of the squared W2 distance of the 1-D projections (quantiles matched
// after sorting; sets of different sizes are compared at common quantile levels).
double sliced_wasserstein(const at::Tensor& a, const at::Tensor& b, int64_t projections, at::Generator& gen);

// Maximum mean discrepancy (unbiased, Gaussian kernel with the median-distance bandwidth).
double mmd(const at::Tensor& a, const at::Tensor& b);

// σ_t²-weighted score error E_t E_{x_t ~ p_t} σ_t² ‖s_θ(x_t,t) − ∇log p_t(x_t)‖² against the
// mixture's analytic score, with t ~ U(eps, T) and x_t drawn exactly; normalised per dimension.
double score_mse(ScoreModel& model, const Sde& sde, const GaussianMixture& mixture, int64_t n, at::Generator& gen);

}  // namespace scorekit
