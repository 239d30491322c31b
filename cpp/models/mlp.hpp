#pragma once
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

#include "models/score_model.hpp"
#include "models/time_embedding.hpp"

namespace scorekit {

// Time-conditioned MLP for low-dimensional data: x and a learned projection of the time
// embedding enter every hidden layer (SiLU), so conditioning on t stays strong with depth.
class Mlp : public ScoreModel {
 public:
  Mlp(const Json& spec, SdePtr sde, int64_t dim);
  Json spec() const override;
  std::vector<int64_t> sample_shape() const override { return {dim_}; }

 protected:
  at::Tensor forward_raw(const at::Tensor& x, const at::Tensor& t) override;

 private:
  int64_t dim_, hidden_, depth_, temb_dim_;
  std::string embedding_;
  double fourier_scale_;
  uint64_t seed_;
  std::string device_;
  std::shared_ptr<TimeEmbedding> temb_{nullptr};
  torch::nn::Linear temb_proj_{nullptr}, input_{nullptr}, output_{nullptr};
  torch::nn::ModuleList hidden_layers_, time_layers_;
};

}  // namespace scorekit
