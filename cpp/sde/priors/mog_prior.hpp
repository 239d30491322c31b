#pragma once
#include <vector>

#include "sde/priors/prior.hpp"

namespace scorekit {

// A 1-D mixture of Gaussians Σ_k w_k N(μ_k, σ_k²) on every coordinate (2^d modes for two
// components). Spec {"weights": [..], "means": [..], "stds": [..]}; default ½N(−1, 0.6²) + ½N(1, 0.6²),
// whose modes overlap enough for the Langevin SDE to mix between them by T.
class MogPrior : public Prior {
 public:
  explicit MogPrior(const Json& spec);
  Json spec() const override;
  at::Tensor sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor log_density(const at::Tensor& x) const override;
  at::Tensor score(const at::Tensor& x) const override;
  at::Tensor score_derivative(const at::Tensor& x) const override;

 private:
  // Per-component log w_k N(x; μ_k, σ_k²), shape x.shape + (K).
  at::Tensor component_log(const at::Tensor& x) const;
  at::Tensor column(const std::vector<double>& v, const at::Tensor& like) const;
  std::vector<double> weights_, means_, stds_;
};

}  // namespace scorekit
