#include "util/tensor_ops.hpp"

#include <ATen/CPUGeneratorImpl.h>
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
