// Trainer <-> checkpoint file: weights, EMA weights, Adam moments, step and generator state, so a
// resumed run continues bit for bit.
#include <cstring>
#include <sstream>

#include "io/checkpoint.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {

// LibTorch keys optimiser state by the parameter's TensorImpl: a string in 1.13, a pointer in 2.x.
template <class Key>
Key state_key(const at::Tensor& p) {
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream os;
    os << p.unsafeGetTensorImpl();
    return os.str();
  } else {
    return static_cast<Key>(p.unsafeGetTensorImpl());
  }
}

template <class StateMap>
void export_adam(StateMap& state, const torch::nn::Module& model, std::vector<NamedTensor>& out) {
  using Key = typename std::decay_t<StateMap>::key_type;
  for (const auto& item : model.named_parameters()) {
    auto it = state.find(state_key<Key>(item.value()));
    if (it == state.end()) continue;
    auto& s = static_cast<torch::optim::AdamParamState&>(*it->second);
    out.push_back({"optim/" + item.key() + "/exp_avg", s.exp_avg()});
    out.push_back({"optim/" + item.key() + "/exp_avg_sq", s.exp_avg_sq()});
    out.push_back({"optim/" + item.key() + "/step", at::full({1}, static_cast<int64_t>(s.step()), at::kLong)});
  }
}

template <class StateMap>
void import_adam(StateMap& state, const torch::nn::Module& model, const CheckpointData& ck) {
  using Key = typename std::decay_t<StateMap>::key_type;
  state.clear();
  for (const auto& item : model.named_parameters()) {
    const std::string base = "optim/" + item.key();
    const at::Tensor* m = ck.find(base + "/exp_avg");
    const at::Tensor* v = ck.find(base + "/exp_avg_sq");
    const at::Tensor* step = ck.find(base + "/step");
    if (!m && !v && !step) continue;  // saved before the first step
    if (!m || !v || !step || step->numel() != 1 || step->scalar_type() != at::kLong)
      throw CheckpointError("checkpoint: optimiser state for '" + item.key() + "' is incomplete");
    if (!m->sizes().equals(item.value().sizes()) || !v->sizes().equals(item.value().sizes()))
      throw CheckpointError("checkpoint: optimiser state for '" + item.key() + "' has the wrong shape");
    auto s = std::make_unique<torch::optim::AdamParamState>();
    s->step(step->item<int64_t>());
    s->exp_avg(m->to(item.value().device(), item.value().scalar_type()).clone());
    s->exp_avg_sq(v->to(item.value().device(), item.value().scalar_type()).clone());
    state[state_key<Key>(item.value())] = std::move(s);
  }
}

void export_module(const std::string& prefix, const torch::nn::Module& m, std::vector<NamedTensor>& out) {
  for (const auto& p : m.named_parameters()) out.push_back({prefix + p.key(), p.value()});
  for (const auto& b : m.named_buffers()) out.push_back({prefix + b.key(), b.value()});
}

void import_module(const std::string& prefix, torch::nn::Module& m, const CheckpointData& ck) {
  torch::NoGradGuard no_grad;
  auto load = [&](const std::string& name, at::Tensor& target) {
    const at::Tensor* t = ck.find(prefix + name);
    if (!t) throw CheckpointError("checkpoint: tensor '" + prefix + name + "' is missing");
    if (!t->sizes().equals(target.sizes())) {
      std::ostringstream os;
      os << "checkpoint: tensor '" << prefix << name << "' has shape " << t->sizes() << " but the spec needs "
         << target.sizes();
      throw CheckpointError(os.str());
    }
    if (t->scalar_type() != target.scalar_type()) throw CheckpointError("checkpoint: tensor '" + prefix + name + "' has the wrong type");
    target.copy_(*t);
  };
  for (auto& p : m.named_parameters()) load(p.key(), p.value());
  for (auto& b : m.named_buffers()) load(b.key(), b.value());
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
  export_adam(optimizer_->state(), *model_, ck.tensors);
  save_checkpoint(path, ck);
}

void Trainer::load(const std::string& path) { restore(load_checkpoint(path)); }

void Trainer::restore(const CheckpointData& ck) {
  import_module("model/", *model_, ck);
  import_module("ema/", *ema_, ck);
  import_adam(optimizer_->state(), *model_, ck);
  auto state = gen_.get_state();
  if (static_cast<int64_t>(ck.rng_state.size()) != state.numel())
    throw CheckpointError("checkpoint: generator state has " + std::to_string(ck.rng_state.size()) + " bytes, expected " +
                std::to_string(state.numel()));
  std::memcpy(state.data_ptr(), ck.rng_state.data(), ck.rng_state.size());
  gen_.set_state(state);
  step_ = ck.step;
}

namespace {
Json parse_spec(const CheckpointData& ck, const std::string& path) {
  try {
    return Json::parse(ck.spec_json);
  } catch (const std::exception& e) {
    throw CheckpointError("checkpoint '" + path + "': its spec is not valid JSON: " + e.what());
  }
}
}  // namespace

Json checkpoint_spec(const std::string& path) { return parse_spec(load_checkpoint(path), path); }

std::unique_ptr<Trainer> Trainer::from_checkpoint(const std::string& path, ProcessGroupPtr group, const std::string& device) {
  auto ck = load_checkpoint(path);
  Json spec = parse_spec(ck, path);
  if (!device.empty() && spec.contains("model") && spec["model"].is_object()) {
    std::string where = device;
    if (where == "available") {
      where = spec["model"].value("device", std::string("cpu"));
      try {
        parse_device(where);
      } catch (const Error&) {
        where = "cpu";
      }
    }
    spec["model"]["device"] = where;
  }
  auto trainer = std::make_unique<Trainer>(spec, std::move(group));
  trainer->restore(ck);
  return trainer;
}

}  // namespace scorekit
