#include "models/unet_blocks.hpp"

#include <torch/nn/init.h>

#include <cmath>

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
  auto h = conv1_->forward(group_norm_silu(x, norm1_));
  // The time embedding's projection is a per-channel shift, added inside the fused normalisation.
  h = conv2_->forward(dropout_->forward(group_norm_silu(h, norm2_, emb_proj_->forward(at::silu(emb)))));
  return ((skip_ ? skip_->forward(x) : x) + h) * kInvSqrt2;
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
  // (B, HW, 3C) token rows as a view: contiguous when x is channels-last, strided (and still a view)
  // when it is contiguous, so neither layout is copied. Channels [0, C) are q, [C, 2C) k, [2C, 3C) v;
  // split, not three slices, so the backward pass concatenates instead of zero-filling thrice.
  auto qkv = qkv_->forward(normed).flatten(2).transpose(1, 2).split(c, 2);
  const auto &q = qkv[0], &k = qkv[1], &v = qkv[2];
  auto weights = at::softmax(at::bmm(q, k.transpose(1, 2)) / std::sqrt(double(c)), -1);  // (B, HW, HW)
  // (B, HW, C) back to (B, C, H, W): a view, channels-last.
  auto out = at::bmm(weights, v).transpose(1, 2).reshape({b, c, h, w});
  return (x + proj_->forward(out)) * kInvSqrt2;
}

at::Tensor upsample2x(const at::Tensor& x) {
  return at::upsample_nearest2d(x, {2 * x.size(2), 2 * x.size(3)});
}

}  // namespace scorekit
