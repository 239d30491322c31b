#include "models/unet_blocks.hpp"

#include <torch/nn/init.h>

#include <cmath>

#include "models/cached_conv.hpp"
#include "models/group_norm_silu.hpp"

namespace scorekit {

namespace {
torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2));
}
void zero(torch::nn::Conv2d& c) {
  torch::NoGradGuard no_grad;
  c->weight.zero_();
  c->bias.zero_();
}
const double kInvSqrt2 = 1.0 / std::sqrt(2.0);
// A 1×1 convolution of channels-last activations as a matrix product of their pixel rows, the
// weights scaled by `scale`. rows: (N, C_in) → (N, C_out).
at::Tensor pixelwise(const torch::nn::Conv2d& c, const at::Tensor& rows, double scale = 1.0) {
  auto w = c->weight.flatten(1), b = c->bias;
  if (scale != 1.0) w = w * scale, b = b * scale;
  return at::linear(rows, w, b);
}
}  // namespace

torch::nn::GroupNorm group_norm(int64_t channels) {
  int64_t groups = std::min<int64_t>(32, std::max<int64_t>(1, channels / 4));
  while (channels % groups) --groups;
  return torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(1e-6));
}

ResBlock::ResBlock(int64_t in, int64_t out, int64_t emb_dim, double dropout, std::shared_ptr<const DropoutDraws> draws) {
  norm1_ = register_module("norm1", group_norm(in));
  conv1_ = register_module("conv1", conv(in, out, 3));
  emb_proj_ = register_module("emb_proj", torch::nn::Linear(emb_dim, out));
  norm2_ = register_module("norm2", group_norm(out));
  dropout_ = register_module("dropout", std::make_shared<SharedDropout>(dropout, std::move(draws)));
  conv2_ = register_module("conv2", conv(out, out, 3));
  zero(conv2_);
  if (in != out) skip_ = register_module("skip", conv(in, out, 1));
}

at::Tensor ResBlock::forward(const at::Tensor& x, const at::Tensor& emb) {
  auto h = apply_conv(conv1_, group_norm_silu(x, norm1_));
  // The time embedding's projection is a per-channel shift, added inside the fused normalisation.
  // (skip(x) + conv2(...)) / √2 with the 1/√2 folded into the convolutions' weights (and the sum's
  // alpha): the residual sum then needs no pass of its own over the activations.
  h = apply_conv(conv2_, dropout_->forward(group_norm_silu(h, norm2_, emb_proj_->forward(at::silu(emb)))), kInvSqrt2);
  return skip_ ? apply_conv(skip_, x, kInvSqrt2) + h : at::add(h, x, kInvSqrt2);
}

AttentionBlock::AttentionBlock(int64_t channels) {
  norm_ = register_module("norm", group_norm(channels));
  qkv_ = register_module("qkv", conv(channels, 3 * channels, 1));
  proj_ = register_module("proj", conv(channels, channels, 1));
  zero(proj_);
}

at::Tensor AttentionBlock::forward(const at::Tensor& x) {
  const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  // ATen's GroupNorm is several times faster on contiguous input than on channels-last.
  auto normed = norm_->forward(x.contiguous()).contiguous(x.suggest_memory_format());
  // (B·HW, C) pixel rows: a view when x is channels-last. The token rows (B, HW, 3C): channels
  // [0, C) are q, [C, 2C) k, [2C, 3C) v; split, not three slices, so the backward pass concatenates
  // instead of zero-filling thrice.
  auto rows = normed.permute({0, 2, 3, 1}).reshape({b * h * w, c});
  auto qkv = pixelwise(qkv_, rows).view({b, h * w, 3 * c}).split(c, 2);
  const auto &q = qkv[0], &k = qkv[1], &v = qkv[2];
  auto weights = at::softmax(at::bmm(q, k.transpose(1, 2)) / std::sqrt(double(c)), -1);  // (B, HW, HW)
  // (x + proj(attention)) / √2, the 1/√2 folded into proj; (B·HW, C) back to (B, C, H, W) as a
  // channels-last view.
  auto out = pixelwise(proj_, at::bmm(weights, v).view({b * h * w, c}), kInvSqrt2);
  return at::add(out.view({b, h, w, c}).permute({0, 3, 1, 2}), x, kInvSqrt2);
}

at::Tensor apply_conv(const torch::nn::Conv2d& c, const at::Tensor& x, double scale) {
  auto w = c->weight, b = c->bias;
  if (scale != 1.0) w = w * scale, b = b * scale;
  return cached_conv2d(x, w, b, (*c->options.stride())[0], w.size(2) / 2);
}

at::Tensor upsample2x(const at::Tensor& x) {
  return at::upsample_nearest2d(x, {2 * x.size(2), 2 * x.size(3)});
}

}  // namespace scorekit
