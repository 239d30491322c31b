#pragma once
// Snapshots of the post-hoc power EMAs (train/posthoc_ema.hpp) in checkpoints, and the EMA of any
// σ_rel rebuilt from them after training.
#include <torch/nn/module.h>

#include "io/checkpoint.hpp"

namespace scorekit {

// The post-hoc power EMAs at one step: weights[k] holds the parameters, then the buffers, of the
// EMA with σ_rel ema_posthoc[k].
struct EmaSnapshot {
  int64_t step = 0;
  std::vector<std::vector<at::Tensor>> weights;
};

// The snapshots a checkpoint carries ("posthoc/steps", "posthoc/<i>/<k>/<name>") for `emas` EMAs
// of the architecture of `like`.
std::vector<EmaSnapshot> read_ema_snapshots(const CheckpointData& ck, const torch::nn::Module& like, size_t emas);

// Writes into `into` the power EMA of length sigma_rel at the last snapshot's step, as the least-
// squares combination of every stored snapshot (EDM2's post-hoc EMA). posthoc_sigma_rel lists the
// σ_rel of the stored EMAs (the training spec's ema_posthoc).
void reconstruct_posthoc_ema(const CheckpointData& ck, const std::vector<double>& posthoc_sigma_rel, double sigma_rel,
                             torch::nn::Module& into);

}  // namespace scorekit
