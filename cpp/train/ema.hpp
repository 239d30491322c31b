#pragma once
#include <torch/nn/module.h>

namespace scorekit {
// ema ← decay·ema + (1 − decay)·θ for every parameter; buffers are copied.
void ema_update(torch::nn::Module& ema, const torch::nn::Module& model, double decay);
// Copies every parameter and buffer of `from` into `to` (same architecture).
void copy_weights(torch::nn::Module& to, const torch::nn::Module& from);
}  // namespace scorekit
