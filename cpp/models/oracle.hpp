#pragma once
#include "data/gaussian_mixture.hpp"
#include "models/score_model.hpp"

namespace scorekit {

// The exact score of a Gaussian mixture under an affine SDE, as a model with no weights: checks
// samplers and likelihoods without training, and is the truth in tests.
class OracleModel : public ScoreModel {
 public:
  OracleModel(std::shared_ptr<const GaussianMixture> mixture, SdePtr sde);
  Json spec() const override { return {{"name", "oracle"}}; }
  std::vector<int64_t> sample_shape() const override { return mixture_->sample_shape(); }
  bool trainable() const override { return false; }

 protected:
  at::Tensor forward_raw(const at::Tensor& x, const at::Tensor& t) override;

 private:
  std::shared_ptr<const GaussianMixture> mixture_;
};

}  // namespace scorekit
