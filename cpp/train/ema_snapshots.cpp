#include "train/ema_snapshots.hpp"

#include <torch/autograd.h>

#include "train/module_tensors.hpp"
#include "train/posthoc_ema.hpp"
#include "util/error.hpp"

namespace scorekit {

std::vector<EmaSnapshot> read_ema_snapshots(const CheckpointData& ck, const torch::nn::Module& like, size_t emas) {
  std::vector<EmaSnapshot> out;
  const at::Tensor* steps = ck.find("posthoc/steps");
  if (!steps) return out;
  if (steps->scalar_type() != at::kLong || steps->dim() != 1)
    throw CheckpointError("checkpoint: 'posthoc/steps' must be a 1-D int64 tensor");
  const auto names = weight_names(like);
  std::vector<at::Tensor> shapes;
  for (const auto& p : like.parameters()) shapes.push_back(p);
  for (const auto& b : like.buffers()) shapes.push_back(b);
  for (int64_t i = 0; i < steps->size(0); ++i) {
    EmaSnapshot snap;
    snap.step = (*steps)[i].item<int64_t>();
    if (snap.step <= 0) throw CheckpointError("checkpoint: post-hoc EMA snapshot at step " + std::to_string(snap.step));
    for (size_t k = 0; k < emas; ++k) {
      std::vector<at::Tensor> w;
      for (size_t j = 0; j < names.size(); ++j) {
        const std::string name = snapshot_tensor_name(i, k, names[j]);
        const at::Tensor* t = ck.find(name);
        if (!t) throw CheckpointError("checkpoint: tensor '" + name + "' is missing");
        if (!t->sizes().equals(shapes[j].sizes()) || t->scalar_type() != shapes[j].scalar_type())
          throw CheckpointError("checkpoint: tensor '" + name + "' has the wrong shape or type");
        w.push_back(t->to(shapes[j].device()).clone());
      }
      snap.weights.push_back(std::move(w));
    }
    out.push_back(std::move(snap));
  }
  return out;
}

void reconstruct_posthoc_ema(const CheckpointData& ck, const std::vector<double>& posthoc_sigma_rel, double sigma_rel,
                             torch::nn::Module& into) {
  if (posthoc_sigma_rel.empty())
    throw Error("this checkpoint keeps no post-hoc EMAs; train with \"ema_posthoc\": [0.05, 0.1] and "
                "\"ema_snapshot_every\": N to reconstruct an EMA after training");
  const auto snaps = read_ema_snapshots(ck, into, posthoc_sigma_rel.size());
  if (snaps.empty()) throw Error("this checkpoint holds no post-hoc EMA snapshot yet (train past ema_snapshot_every steps)");
  std::vector<EmaProfile> in;
  for (const auto& s : snaps)
    for (double sr : posthoc_sigma_rel) in.push_back({sigma_rel_to_gamma(sr), s.step});
  const auto x = posthoc_ema_coefficients(in, {sigma_rel_to_gamma(sigma_rel), snaps.back().step});
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> targets;
  for (auto& p : into.parameters()) targets.push_back(p);
  const size_t n_params = targets.size();
  for (auto& b : into.buffers()) targets.push_back(b);
  for (size_t j = 0; j < targets.size(); ++j) {
    if (j >= n_params) {  // buffers are copied, not averaged (as in training)
      targets[j].copy_(snaps.back().weights[0][j]);
      continue;
    }
    // Accumulated in double: the coefficients have both signs and can be large.
    auto acc = at::zeros(targets[j].sizes(), targets[j].options().dtype(at::kDouble));
    size_t c = 0;
    for (const auto& s : snaps)
      for (const auto& w : s.weights) acc.add_(w[j].to(at::kDouble), x[c++]);
    targets[j].copy_(acc);
  }
}

}  // namespace scorekit
