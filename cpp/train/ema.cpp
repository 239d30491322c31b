#include "train/ema.hpp"

#include <torch/autograd.h>

namespace scorekit {

void ema_update(torch::nn::Module& ema, const torch::nn::Module& model, double decay) {
  torch::NoGradGuard no_grad;
  auto e = ema.parameters();
  auto m = model.parameters();
  for (size_t i = 0; i < e.size(); ++i) e[i].mul_(decay).add_(m[i], 1 - decay);
  auto eb = ema.buffers();
  auto mb = model.buffers();
  for (size_t i = 0; i < eb.size(); ++i) eb[i].copy_(mb[i]);
}

void copy_weights(torch::nn::Module& to, const torch::nn::Module& from) {
  torch::NoGradGuard no_grad;
  auto t = to.parameters();
  auto f = from.parameters();
  for (size_t i = 0; i < t.size(); ++i) t[i].copy_(f[i]);
  auto tb = to.buffers();
  auto fb = from.buffers();
  for (size_t i = 0; i < tb.size(); ++i) tb[i].copy_(fb[i]);
}

}  // namespace scorekit
