#include "models/mlp.hpp"

#include <torch/nn/init.h>

#include "util/error.hpp"
#include "util/global_rng.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Mlp::Mlp(const Json& spec, SdePtr sde, int64_t dim) : ScoreModel(std::move(sde), Parameterisation::Scaled), dim_(dim) {
  SpecReader r(spec, "model 'mlp'");
  hidden_ = r.positive_integer("hidden", 128);
  depth_ = r.positive_integer("depth", 3);
  temb_dim_ = r.positive_integer("time_dim", 64);
  embedding_ = r.choice("embedding", "fourier", {"fourier", "sinusoidal"});
  fourier_scale_ = r.positive("fourier_scale", 16.0);
  seed_ = static_cast<uint64_t>(r.integer("seed", 0));
  device_ = r.string("device", "cpu");
  const std::string default_param = sde_->is_affine() ? "scaled" : "score";
  param_ = parse_parameterisation(r.choice("parameterisation", default_param, {"score", "noise", "scaled"}));
  r.finish();
  if (param_ != Parameterisation::Score && !sde_->is_affine())
    throw Error("model 'mlp': parameterisation '" + to_string(param_) + "' needs an affine SDE; use 'score'");

  // Weights are initialised from the model's own seed so a spec rebuilds the same network.
  std::lock_guard<std::mutex> rng_lock(global_rng_mutex());
  torch::manual_seed(seed_);
  temb_ = register_module("temb", std::make_shared<TimeEmbedding>(embedding_, temb_dim_, fourier_scale_, seed_));
  temb_proj_ = register_module("temb_proj", torch::nn::Linear(temb_dim_, hidden_));
  input_ = register_module("input", torch::nn::Linear(dim_, hidden_));
  for (int64_t i = 0; i < depth_; ++i) {
    hidden_layers_->push_back(torch::nn::Linear(hidden_, hidden_));
    time_layers_->push_back(torch::nn::Linear(hidden_, hidden_));
  }
  register_module("hidden", hidden_layers_);
  register_module("time", time_layers_);
  output_ = register_module("output", torch::nn::Linear(hidden_, dim_));
  to(parse_device(device_));
}

Json Mlp::spec() const {
  return {{"name", "mlp"}, {"hidden", hidden_}, {"depth", depth_}, {"time_dim", temb_dim_},
          {"embedding", embedding_}, {"fourier_scale", fourier_scale_}, {"seed", seed_},
          {"device", device_}, {"parameterisation", to_string(param_)}};
}

at::Tensor Mlp::forward_raw(const at::Tensor& x, const at::Tensor& t) {
  if (x.dim() != 2 || x.size(1) != dim_)
    throw Error("model 'mlp' expects inputs of shape (B, " + std::to_string(dim_) + "), got " +
                std::to_string(x.dim()) + "-D input with " + std::to_string(x.numel()) + " values");
  // In sampling every row has the same t: the time path (the embedding, its projection and the
  // time layers, half the network's products at the default width) then runs on one row and is
  // broadcast in the sums below.
  auto temb = at::silu(temb_proj_->forward(temb_->forward(one_time_for_all(t) ? t.narrow(0, 0, 1) : t)));
  auto h = at::silu(input_->forward(x) + temb);
  for (int64_t i = 0; i < depth_; ++i) {
    auto lin = hidden_layers_[i]->as<torch::nn::Linear>();
    auto tl = time_layers_[i]->as<torch::nn::Linear>();
    h = at::silu(lin->forward(h) + tl->forward(temb));
  }
  return output_->forward(h);
}

}  // namespace scorekit
