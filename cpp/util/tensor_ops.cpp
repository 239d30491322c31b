#include "util/tensor_ops.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Dispatch.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/cuda.h>

#include "util/error.hpp"

#include <optional>
#include <torch/version.h>

namespace scorekit {

at::Generator make_generator(uint64_t seed, const at::Device& device) {
  if (device.is_cpu()) return at::detail::createCPUGenerator(seed);
#if defined(SCOREKIT_WITH_CUDA) && TORCH_VERSION_MAJOR >= 2
  if (device.is_cuda()) {
    auto gen = at::detail::getCUDAHooks().getNewGenerator(device.has_index() ? device.index() : 0);
    gen.set_current_seed(seed);
    return gen;
  }
#endif
  throw Error("no random generator for device '" + device.str() + "' in this build");
}

bool one_time_for_all(const at::Tensor& t) {
  if (t.dim() != 1 || t.size(0) < 2 || t.requires_grad()) return false;
  if (t.stride(0) == 0) return true;
  if (!t.is_cpu() || !t.is_contiguous() || !at::isFloatingType(t.scalar_type())) return false;
  bool same = true;
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, t.scalar_type(), "one_time_for_all", [&] {
    const scalar_t* v = t.data_ptr<scalar_t>();
    for (int64_t i = 1; i < t.size(0) && same; ++i) same = v[i] == v[0];  // NaN: never the same
  });
  return same;
}

std::string available_device(const std::string& name) {
  try {
    parse_device(name);
    return name;
  } catch (const Error&) {
    return "cpu";
  }
}

at::Device parse_device(const std::string& name) {
  std::optional<at::Device> device;
  try {
    device = at::Device(name);
  } catch (const std::exception&) {
    throw Error("unknown device '" + name + "'; valid: cpu, cuda, cuda:N");
  }
  if (device->is_cpu()) return *device;
  if (!device->is_cuda()) throw Error("unsupported device '" + name + "'; valid: cpu, cuda, cuda:N");
#ifndef SCOREKIT_WITH_CUDA
  throw Error("device '" + name + "': this scorekit was built against a LibTorch without CUDA");
#else
  const int gpus = static_cast<int>(torch::cuda::device_count());
  if (gpus == 0) throw Error("device '" + name + "': no CUDA GPU is visible (scorekit info lists the GPUs)");
  if (device->has_index() && device->index() >= gpus)
    throw Error("device '" + name + "': only " + std::to_string(gpus) + " CUDA GPU(s) are visible");
  return *device;
#endif
}

void require_finite(const at::Tensor& x, const std::string& what) {
  if (!at::isfinite(x).all().item<bool>()) throw Error(what + " contains NaN or Inf values");
}

}  // namespace scorekit
