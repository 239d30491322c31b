#include "train/module_tensors.hpp"

#include <torch/autograd.h>

#include <sstream>

#include "util/error.hpp"

namespace scorekit {

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

std::vector<std::string> weight_names(const torch::nn::Module& m) {
  std::vector<std::string> out;
  for (const auto& p : m.named_parameters()) out.push_back(p.key());
  for (const auto& b : m.named_buffers()) out.push_back(b.key());
  return out;
}

std::string snapshot_tensor_name(size_t snapshot, size_t ema, const std::string& name) {
  return "posthoc/" + std::to_string(snapshot) + "/" + std::to_string(ema) + "/" + name;
}

}  // namespace scorekit
