// Trainer <-> checkpoint file: weights, EMA weights, Adam moments, step and generator state, so a
// resumed run continues bit for bit.
#include <cstring>

#include "data/npy_dataset.hpp"
#include "io/checkpoint.hpp"
#include "train/module_tensors.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {

// Adam's moments and step per parameter, named by the parameter (the format torch::optim::Adam's
// state was saved in before, so older checkpoints load).
void export_adam(const Adam& adam, const torch::nn::Module& model, std::vector<NamedTensor>& out) {
  const auto params = model.named_parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& s = adam.state(i);
    if (s.step == 0) continue;
    const std::string base = "optim/" + params[i].key();
    out.push_back({base + "/exp_avg", s.exp_avg});
    out.push_back({base + "/exp_avg_sq", s.exp_avg_sq});
    out.push_back({base + "/step", at::full({1}, s.step, at::kLong)});
  }
}

void import_adam(Adam& adam, const torch::nn::Module& model, const CheckpointData& ck) {
  const auto params = model.named_parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& item = params[i];
    const std::string base = "optim/" + item.key();
    const at::Tensor* m = ck.find(base + "/exp_avg");
    const at::Tensor* v = ck.find(base + "/exp_avg_sq");
    const at::Tensor* step = ck.find(base + "/step");
    if (!m && !v && !step) {  // saved before the parameter's first update
      adam.set_state(i, {});
      continue;
    }
    if (!m || !v || !step || step->numel() != 1 || step->scalar_type() != at::kLong)
      throw CheckpointError("checkpoint: optimiser state for '" + item.key() + "' is incomplete");
    if (!m->sizes().equals(item.value().sizes()) || !v->sizes().equals(item.value().sizes()))
      throw CheckpointError("checkpoint: optimiser state for '" + item.key() + "' has the wrong shape");
    const auto options = item.value().options();
    adam.set_state(i, {m->to(options).clone(), v->to(options).clone(), step->item<int64_t>()});
  }
}

// The reference sample that checkpoints of file or array data carry, so that evaluation needs no
// data file: 2048 points, fewer for large samples (at most 8 MiB), drawn from its own stream.
at::Tensor draw_reference(const Dataset& data, uint64_t seed) {
  constexpr int64_t kPoints = 2048, kBytes = int64_t(8) << 20;
  const int64_t n = std::max<int64_t>(1, std::min<int64_t>(kPoints, kBytes / (4 * data.dim())));
  auto gen = make_generator(seed ^ 0x5245464552454E43ull);  // "REFERENC"
  return data.sample(n, gen).to(at::kFloat).contiguous();
}

}  // namespace

void Trainer::save(const std::string& path) const {
  CheckpointData ck;
  ck.spec_json = spec_.dump();
  ck.step = step_;
  auto state = gen_.get_state();
  ck.rng_state.assign(static_cast<const char*>(state.data_ptr()), state.numel());
  export_module("model/", *model_, ck.tensors);
  export_module("ema/", *ema_, ck.tensors);
  export_adam(*optimizer_, *model_, ck.tensors);
  for (size_t k = 0; k < posthoc_.size(); ++k) export_module("posthoc_ema/" + std::to_string(k) + "/", *posthoc_[k], ck.tensors);
  if (!snapshots_.empty()) {
    std::vector<int64_t> steps;
    for (const auto& snap : snapshots_) steps.push_back(snap.step);
    ck.tensors.push_back({"posthoc/steps", at::tensor(steps, at::kLong)});
    const auto names = weight_names(*model_);
    for (size_t i = 0; i < snapshots_.size(); ++i)
      for (size_t k = 0; k < snapshots_[i].weights.size(); ++k)
        for (size_t j = 0; j < names.size(); ++j)
          ck.tensors.push_back({snapshot_tensor_name(i, k, names[j]), snapshots_[i].weights[k][j]});
  }
  // The objective's path pool (nonlinear SDEs): without it a resumed run would draw other paths.
  if (const auto& paths = objective_->pool().state_paths(); paths.defined()) {
    ck.tensors.push_back({"objective/path_pool/paths", paths.detach().to(at::kCPU)});
    ck.tensors.push_back({"objective/path_pool/rotation", at::tensor({objective_->pool().state_rotation()}, at::kLong)});
  }
  if (!dataset_spec_is_self_contained(spec_["data"])) {
    if (!reference_.defined()) reference_ = draw_reference(*data_, config_.seed);
    ck.tensors.push_back({"data/reference", reference_});
  }
  save_checkpoint(path, ck);
}

void Trainer::load(const std::string& path) { restore(load_checkpoint(path)); }

void Trainer::restore(const CheckpointData& ck) {
  import_module("model/", *model_, ck);
  import_module("ema/", *ema_, ck);
  import_adam(*optimizer_, *model_, ck);
  auto state = gen_.get_state();
  if (static_cast<int64_t>(ck.rng_state.size()) != state.numel())
    throw CheckpointError("checkpoint: generator state has " + std::to_string(ck.rng_state.size()) + " bytes, expected " +
                std::to_string(state.numel()));
  std::memcpy(state.data_ptr(), ck.rng_state.data(), ck.rng_state.size());
  gen_.set_state(state);
  for (size_t k = 0; k < posthoc_.size(); ++k) import_module("posthoc_ema/" + std::to_string(k) + "/", *posthoc_[k], ck);
  if (!posthoc_.empty()) snapshots_ = read_ema_snapshots(ck, *model_, posthoc_.size());
  step_ = ck.step;
  if (const at::Tensor* ref = ck.find("data/reference")) reference_ = ref->clone();
  if (const at::Tensor* paths = ck.find("objective/path_pool/paths")) {
    const at::Tensor* rotation = ck.find("objective/path_pool/rotation");
    if (!rotation || rotation->numel() != 1 || rotation->scalar_type() != at::kLong)
      throw CheckpointError("checkpoint: 'objective/path_pool/paths' without a one-element int64 'objective/path_pool/rotation'");
    objective_->pool().restore(paths->clone(), rotation->item<int64_t>());
  }
}

Json checkpoint_spec(const CheckpointData& ck, const std::string& path) {
  Json spec;
  try {
    spec = Json::parse(ck.spec_json);
  } catch (const std::exception& e) {
    throw CheckpointError("checkpoint '" + path + "': its spec is not valid JSON: " + e.what());
  }
  if (!spec.is_object()) throw CheckpointError("checkpoint '" + path + "': its spec is not a JSON object");
  return spec;
}

Json checkpoint_spec(const std::string& path) { return checkpoint_spec(load_checkpoint(path), path); }

std::unique_ptr<Trainer> Trainer::from_checkpoint(const std::string& path, ProcessGroupPtr group, const std::string& device,
                                                  DatasetPtr data) {
  auto ck = load_checkpoint(path);
  Json spec = checkpoint_spec(ck, path);
  if (!spec.contains("data")) throw CheckpointError("checkpoint '" + path + "': its spec names no data");
  if (!device.empty() && spec.contains("model") && spec["model"].is_object()) spec["model"]["device"] = device;
  if (!data) {
    try {
      data = make_dataset(spec["data"]);
    } catch (const Error& e) {
      const bool has_path = spec["data"].is_object() && spec["data"].contains("path");
      const std::string msg =
          "resuming '" + path + "' needs its training data, " + describe_dataset_source(spec["data"]) +
          ", which cannot be read (" + e.what() + "); " +
          (has_path ? "if it has moved, point to its new place: scorekit train --resume " + path +
                          " --data NEW_PATH (C API: sk_trainer_load_with_data)"
                    : "give the same data again (C API: sk_trainer_load_with_data)");
      if (dynamic_cast<const IoError*>(&e)) throw IoError(msg);
      throw Error(msg);
    }
  }
  auto trainer = std::make_unique<Trainer>(spec, std::move(data), std::move(group));
  trainer->restore(ck);
  return trainer;
}

}  // namespace scorekit
