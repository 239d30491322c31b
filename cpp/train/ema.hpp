#pragma once
#include <torch/nn/module.h>

#include <vector>

namespace scorekit {

// A module's parameters and buffers, gathered once: walking a module tree builds its lists anew each
// time, so the trainer keeps these rather than walking the model several times a step.
struct WeightList {
  std::vector<at::Tensor> params, buffers;
};
WeightList weight_list(const torch::nn::Module& m);

// ema ← decay·ema + (1 − decay)·θ for every parameter (one fused multi-tensor update); buffers are copied.
void ema_update(WeightList& ema, const WeightList& model, double decay);
// Copies every parameter and buffer of `from` into `to` (same architecture).
void copy_weights(torch::nn::Module& to, const torch::nn::Module& from);

}  // namespace scorekit
