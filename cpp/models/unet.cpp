#include "models/unet.hpp"

#include <algorithm>

#include "models/group_norm_silu.hpp"
#include "util/env_setting.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {
torch::nn::Conv2d conv3(int64_t in, int64_t out, int64_t stride = 1) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).stride(stride));
}
// Whether activations on the CPU are kept channels-last: yes, unless SCOREKIT_CHANNELS_LAST=0 (the
// benchmarks' before/after).
bool channels_last_on_cpu() {
  static const bool on = env_switch("SCOREKIT_CHANNELS_LAST", true);
  return on;
}
std::string list(const std::vector<long long>& v) {
  std::string s;
  for (auto x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return "[" + s + "]";
}
}  // namespace

Unet::Unet(const Json& spec, SdePtr sde_in, const std::vector<int64_t>& shape)
    : ScoreModel(std::move(sde_in), Parameterisation::Noise), shape_(shape) {
  const std::string what = "model 'unet'";
  if (shape.size() != 3) throw Error(what + " needs (N, C, H, W) image data");
  const int64_t h = shape[1], w = shape[2];
  SpecReader r(spec, what);
  channels_ = r.positive_integer("channels", 32);
  channel_mult_ = r.integers("channel_mult", {1, 2, 2});
  num_res_blocks_ = r.positive_integer("num_res_blocks", 1);
  const int64_t levels = static_cast<int64_t>(channel_mult_.size());
  const int64_t lowest = h >> std::max<int64_t>(levels - 1, 0);
  attention_resolutions_ = r.integers("attention_resolutions", {lowest});
  dropout_ = r.number("dropout", 0.0);
  embedding_ = r.choice("embedding", "fourier", {"fourier", "sinusoidal"});
  fourier_scale_ = r.positive("fourier_scale", 16.0);
  sigma_data_ = r.positive("sigma_data", 0.5);
  seed_ = static_cast<uint64_t>(r.integer("seed", 0));
  device_ = r.string("device", "cpu");
  const std::string default_param = sde_->is_affine() ? "noise" : "score";
  param_ = parse_parameterisation(r.choice("parameterisation", default_param, {"score", "noise", "scaled", "edm"}));
  r.finish();

  if (levels < 1) throw Error(what + ": 'channel_mult' needs at least one level");
  for (auto m : channel_mult_)
    if (m < 1) throw Error(what + ": 'channel_mult' entries must be positive, got " + list(channel_mult_));
  if (dropout_ < 0 || dropout_ >= 1) throw Error(what + ": 'dropout' must be in [0, 1)");
  const int64_t factor = int64_t(1) << (levels - 1);
  if (h % factor || w % factor)
    throw Error(what + ": a " + std::to_string(h) + "×" + std::to_string(w) + " image cannot be halved " +
                std::to_string(levels - 1) + " times (channel_mult " + list(channel_mult_) +
                "); use fewer levels or an image side divisible by " + std::to_string(factor));
  std::vector<long long> resolutions;
  for (int64_t i = 0; i < levels; ++i) resolutions.push_back(h >> i);
  for (auto a : attention_resolutions_)
    if (std::find(resolutions.begin(), resolutions.end(), a) == resolutions.end())
      throw Error(what + ": attention resolution " + std::to_string(a) + " matches no level; the levels have " +
                  list(resolutions));
  if (param_ != Parameterisation::Score && !sde_->is_affine())
    throw Error(what + ": parameterisation '" + to_string(param_) + "' needs an affine SDE; use 'score'");
  auto attends = [&](int64_t res) {
    return std::find(attention_resolutions_.begin(), attention_resolutions_.end(), res) != attention_resolutions_.end();
  };

  // Weights come from the model's own seed so a spec rebuilds the same network.
  torch::manual_seed(seed_);
  const int64_t emb = 4 * channels_;
  temb_ = register_module("temb", std::make_shared<TimeEmbedding>(embedding_, channels_, fourier_scale_, seed_));
  temb1_ = register_module("temb1", torch::nn::Linear(channels_, emb));
  temb2_ = register_module("temb2", torch::nn::Linear(emb, emb));
  conv_in_ = register_module("conv_in", conv3(shape[0], channels_));

  // Encoder: remember the width of every activation the decoder will concatenate.
  std::vector<int64_t> skips = {channels_};
  int64_t ch = channels_;
  for (int64_t i = 0; i < levels; ++i) {
    Level level;
    const int64_t out = channels_ * channel_mult_[i];
    for (int64_t j = 0; j < num_res_blocks_; ++j) {
      const std::string name = "down" + std::to_string(i) + "_";
      level.res.push_back(register_module(name + "res" + std::to_string(j), std::make_shared<ResBlock>(ch, out, emb, dropout_, dropout_draws_)));
      level.attn.push_back(attends(h >> i) ? register_module(name + "attn" + std::to_string(j), std::make_shared<AttentionBlock>(out))
                                           : nullptr);
      ch = out;
      skips.push_back(ch);
    }
    if (i + 1 < levels) {
      level.resample = register_module("down" + std::to_string(i) + "_downsample", conv3(ch, ch, 2));
      skips.push_back(ch);
    }
    down_.push_back(std::move(level));
  }
  mid1_ = register_module("mid_res1", std::make_shared<ResBlock>(ch, ch, emb, dropout_, dropout_draws_));
  mid_attn_ = register_module("mid_attn", std::make_shared<AttentionBlock>(ch));
  mid2_ = register_module("mid_res2", std::make_shared<ResBlock>(ch, ch, emb, dropout_, dropout_draws_));

  // Decoder: one more block per level than the encoder, each eating one skip activation.
  for (int64_t i = levels - 1; i >= 0; --i) {
    Level level;
    const int64_t out = channels_ * channel_mult_[i];
    for (int64_t j = 0; j <= num_res_blocks_; ++j) {
      const std::string name = "up" + std::to_string(i) + "_";
      const int64_t skip = skips.back();
      skips.pop_back();
      level.res.push_back(register_module(name + "res" + std::to_string(j), std::make_shared<ResBlock>(ch + skip, out, emb, dropout_, dropout_draws_)));
      level.attn.push_back(attends(h >> i) ? register_module(name + "attn" + std::to_string(j), std::make_shared<AttentionBlock>(out))
                                           : nullptr);
      ch = out;
    }
    if (i > 0) level.resample = register_module("up" + std::to_string(i) + "_upsample", conv3(ch, ch));
    up_.push_back(std::move(level));
  }
  norm_out_ = register_module("norm_out", group_norm(ch));
  conv_out_ = register_module("conv_out", conv3(ch, shape[0]));
  {
    // A zero output layer starts every parameterisation at its neutral point (score 0, ε̂ 0, D = c_skip x̃).
    torch::NoGradGuard no_grad;
    conv_out_->weight.zero_();
    conv_out_->bias.zero_();
  }
  to(parse_device(device_));
}

Json Unet::spec() const {
  return {{"name", "unet"}, {"channels", channels_}, {"channel_mult", channel_mult_},
          {"num_res_blocks", num_res_blocks_}, {"attention_resolutions", attention_resolutions_},
          {"dropout", dropout_}, {"embedding", embedding_}, {"fourier_scale", fourier_scale_},
          {"sigma_data", sigma_data_}, {"seed", seed_}, {"device", device_},
          {"parameterisation", to_string(param_)}};
}

at::Tensor Unet::forward_raw(const at::Tensor& x, const at::Tensor& t) {
  if (x.dim() != 4 || x.size(1) != shape_[0] || x.size(2) != shape_[1] || x.size(3) != shape_[2])
    throw Error("model 'unet' expects inputs of shape (B, " + std::to_string(shape_[0]) + ", " + std::to_string(shape_[1]) +
                ", " + std::to_string(shape_[2]) + "), got " + std::to_string(x.dim()) + "-D input with " +
                std::to_string(x.numel()) + " values");
  auto emb = temb2_->forward(at::silu(temb1_->forward(temb_->forward(t))));
  auto h = apply_conv(conv_in_, x);
  // On the CPU the activations are kept channels-last (N, H, W, C): oneDNN's convolutions run 1.2–2×
  // faster on them at 16–64 channels than on contiguous ones, which they reorder on every call.
  // The parameters keep their layout (and checkpoints theirs).
  if (x.device().is_cpu() && channels_last_on_cpu()) h = h.contiguous(at::MemoryFormat::ChannelsLast);
  std::vector<at::Tensor> skips = {h};
  for (auto& level : down_) {
    for (size_t j = 0; j < level.res.size(); ++j) {
      h = level.res[j]->forward(h, emb);
      if (level.attn[j]) h = level.attn[j]->forward(h);
      skips.push_back(h);
    }
    if (level.resample) {
      h = apply_conv(level.resample, h);
      skips.push_back(h);
    }
  }
  h = mid2_->forward(mid_attn_->forward(mid1_->forward(h, emb)), emb);
  for (auto& level : up_) {
    for (size_t j = 0; j < level.res.size(); ++j) {
      h = level.res[j]->forward(at::cat({h, skips.back()}, 1), emb);
      skips.pop_back();
      if (level.attn[j]) h = level.attn[j]->forward(h);
    }
    if (level.resample) h = apply_conv(level.resample, upsample2x(h));
  }
  return apply_conv(conv_out_, group_norm_silu(h, norm_out_)).contiguous();
}

}  // namespace scorekit
