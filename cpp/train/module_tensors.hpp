#pragma once
// A module's parameters and buffers as named checkpoint tensors ("<prefix><name>"), and back.
#include <torch/nn/module.h>

#include "io/checkpoint.hpp"

namespace scorekit {

void export_module(const std::string& prefix, const torch::nn::Module& m, std::vector<NamedTensor>& out);
// Copies every "<prefix><name>" tensor into the module; a missing tensor, or one whose shape or
// type differs from the module's, is a CheckpointError.
void import_module(const std::string& prefix, torch::nn::Module& m, const CheckpointData& ck);

// The names of a module's parameters, then its buffers: the order of EmaSnapshot::weights.
std::vector<std::string> weight_names(const torch::nn::Module& m);
// "posthoc/<snapshot>/<ema>/<name>": where a snapshot of a post-hoc EMA lives in a checkpoint.
std::string snapshot_tensor_name(size_t snapshot, size_t ema, const std::string& name);

}  // namespace scorekit
