#pragma once
// The building blocks of the U-Net (models/unet.hpp), after DDPM (Ho et al. 2020) and DDPM++
// (Song et al. 2021): residual blocks with GroupNorm and SiLU that add a projection of the time
// embedding, single-head self-attention over pixels, and 2× resampling.
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "models/shared_dropout.hpp"

namespace scorekit {

// GroupNorm over min(32, C/4) groups (DDPM++), lowered until it divides C, so tiny test
// networks with a handful of channels still normalise.
torch::nn::GroupNorm group_norm(int64_t channels);

// h = conv(dropout(silu(norm(conv(silu(norm(x))) + W·emb)))); out = (skip(x) + h) / √2.
// The second convolution starts at zero, so every block starts as (a rescaled) identity.
class ResBlock : public torch::nn::Module {
 public:
  // `draws` is the owning model's: objectives set where its masks come from (models/shared_dropout.hpp).
  ResBlock(int64_t in, int64_t out, int64_t emb_dim, double dropout, std::shared_ptr<const DropoutDraws> draws);
  at::Tensor forward(const at::Tensor& x, const at::Tensor& emb);  // emb: (B, emb_dim), SiLU applied here

 private:
  torch::nn::GroupNorm norm1_{nullptr}, norm2_{nullptr};
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, skip_{nullptr};
  torch::nn::Linear emb_proj_{nullptr};
  std::shared_ptr<SharedDropout> dropout_;
};

// Single-head self-attention over the H·W positions, residual and rescaled by 1/√2; the output
// projection starts at zero. Cost is (H·W)², so it belongs at low resolutions only.
class AttentionBlock : public torch::nn::Module {
 public:
  explicit AttentionBlock(int64_t channels);
  at::Tensor forward(const at::Tensor& x);

 private:
  torch::nn::GroupNorm norm_{nullptr};
  torch::nn::Conv2d qkv_{nullptr}, proj_{nullptr};
};

// The module's convolution of x — stride as built, 'same' padding (kernel / 2), weights and bias
// times `scale` — through cached_conv2d (models/cached_conv.hpp).
at::Tensor apply_conv(const torch::nn::Conv2d& c, const at::Tensor& x, double scale = 1.0);

// Nearest-neighbour 2× upsampling by ATen's kernel: its backward pass sums each 2×2 block directly,
// 5× faster on the CPU than the reduction an expand-and-reshape leaves behind (docs/benchmarks.md).
at::Tensor upsample2x(const at::Tensor& x);

}  // namespace scorekit
