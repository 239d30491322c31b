#pragma once
// A Gaussian mixture with diagonal covariances: the analytic truth of the project. Under an
// affine SDE, p_t is again a mixture, with means alpha m_k and variances alpha² s_k² + sigma²,
// so its density and score are exact at every t.
#include "data/dataset.hpp"

namespace scorekit {

class GaussianMixture : public Dataset {
 public:
  // JSON {"weights": [K], "means": [[d] x K], "stds": [[d] x K]} (stds may be scalars per component).
  explicit GaussianMixture(const Json& spec);
  static GaussianMixture from_file(const std::string& path);
  Json spec() const override;
  std::vector<int64_t> sample_shape() const override { return {means_.size(1)}; }
  at::Tensor sample(int64_t n, at::Generator& gen) const override;
  const GaussianMixture* mixture() const override { return this; }

  // log p_t(x) and ∇x log p_t(x) for x_t = alpha x_0 + sigma z; alpha, sigma are (B).
  at::Tensor log_prob(const at::Tensor& x, const at::Tensor& alpha, const at::Tensor& sigma) const;
  at::Tensor score(const at::Tensor& x, const at::Tensor& alpha, const at::Tensor& sigma) const;
  at::Tensor log_prob0(const at::Tensor& x) const;  // the data density itself
  int64_t components() const { return weights_.size(0); }
  // The parameters in double precision: (K), (K, d), (K, d).
  const at::Tensor& weights() const { return weights_; }
  const at::Tensor& means() const { return means_; }
  const at::Tensor& stds() const { return stds_; }

 private:
  // Per-component log densities (B, K) and the broadcast pieces the score reuses.
  at::Tensor component_log_probs(const at::Tensor& x, const at::Tensor& alpha, const at::Tensor& sigma,
                                 at::Tensor* diff, at::Tensor* var) const;
  Json source_;
  at::Tensor weights_, means_, stds_;  // (K), (K, d), (K, d), double precision
};

}  // namespace scorekit
