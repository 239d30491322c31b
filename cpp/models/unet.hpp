#pragma once
// A time-conditioned U-Net for (C, H, W) images in the spirit of DDPM++/NCSN++: per level,
// num_res_blocks residual blocks at channels·channel_mult[i] (self-attention after each where the
// resolution is listed in attention_resolutions), then a strided-convolution downsample; a middle
// of res–attention–res; a mirrored decoder that concatenates the encoder's activations. The time
// embedding (Fourier or sinusoidal, then a 2-layer MLP) is added in every residual block.
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "models/score_model.hpp"
#include "models/time_embedding.hpp"
#include "models/unet_blocks.hpp"

namespace scorekit {

class Unet : public ScoreModel {
 public:
  // shape: {C, H, W}; H and W must be divisible by 2^(levels − 1).
  Unet(const Json& spec, SdePtr sde, const std::vector<int64_t>& shape);
  Json spec() const override;
  std::vector<int64_t> sample_shape() const override { return shape_; }

 protected:
  at::Tensor forward_raw(const at::Tensor& x, const at::Tensor& t) override;

 private:
  // One encoder or decoder level: its residual blocks, the attention after each (or none), and
  // the resampling convolution that leaves the level (none at the bottom / top).
  struct Level {
    std::vector<std::shared_ptr<ResBlock>> res;
    std::vector<std::shared_ptr<AttentionBlock>> attn;  // null entries where there is none
    torch::nn::Conv2d resample{nullptr};
  };

  std::vector<int64_t> shape_;
  int64_t channels_, num_res_blocks_;
  std::vector<long long> channel_mult_, attention_resolutions_;
  double dropout_, fourier_scale_;
  std::string embedding_, device_;
  uint64_t seed_;

  std::shared_ptr<TimeEmbedding> temb_{nullptr};
  torch::nn::Linear temb1_{nullptr}, temb2_{nullptr};
  torch::nn::Conv2d conv_in_{nullptr}, conv_out_{nullptr};
  torch::nn::GroupNorm norm_out_{nullptr};
  std::vector<Level> down_, up_;  // up_ is stored bottom level first, in execution order
  std::shared_ptr<ResBlock> mid1_, mid2_;
  std::shared_ptr<AttentionBlock> mid_attn_;
};

}  // namespace scorekit
