#include "train/ema.hpp"

#include <torch/autograd.h>

namespace scorekit {

WeightList weight_list(const torch::nn::Module& m) { return {m.parameters(), m.buffers()}; }

void ema_update(WeightList& ema, const WeightList& model, double decay) {
  torch::NoGradGuard no_grad;
  if (!ema.params.empty()) at::_foreach_lerp_(ema.params, model.params, 1 - decay);
  for (size_t i = 0; i < ema.buffers.size(); ++i) ema.buffers[i].copy_(model.buffers[i]);
}

void copy_weights(torch::nn::Module& to, const torch::nn::Module& from) {
  torch::NoGradGuard no_grad;
  auto t = weight_list(to), f = weight_list(from);
  for (size_t i = 0; i < t.params.size(); ++i) t.params[i].copy_(f.params[i]);
  for (size_t i = 0; i < t.buffers.size(); ++i) t.buffers[i].copy_(f.buffers[i]);
}

}  // namespace scorekit
