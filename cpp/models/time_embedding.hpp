#pragma once
// Embeddings of t in [0, 1]: random Fourier features (Tancik et al.; Song et al.'s Gaussian
// Fourier projection) or the transformer sinusoids used by DDPM.
#include <torch/nn/module.h>

namespace scorekit {

class TimeEmbedding : public torch::nn::Module {
 public:
  TimeEmbedding(const std::string& kind, int64_t dim, double fourier_scale, uint64_t seed);
  at::Tensor forward(const at::Tensor& t);  // (B) → (B, dim)
  int64_t dim() const { return dim_; }

 private:
  std::string kind_;
  int64_t dim_;
  at::Tensor freqs_;  // buffer: fixed random (Fourier) or geometric (sinusoidal) frequencies
};

}  // namespace scorekit
