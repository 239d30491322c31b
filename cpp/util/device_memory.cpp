#include "util/device_memory.hpp"

#include <fstream>
#include <string>

#ifdef SCOREKIT_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace scorekit {

namespace {
double vm_hwm_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1;
}
}  // namespace

void reset_peak_memory(const at::Device& device) {
#ifdef SCOREKIT_WITH_CUDA
  if (device.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(device.has_index() ? device.index() : 0);
#endif
}

double peak_memory_mib(const at::Device& device) {
#ifdef SCOREKIT_WITH_CUDA
  if (device.is_cuda()) {
    using c10::CachingAllocator::StatType;
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.has_index() ? device.index() : 0);
    return static_cast<double>(stats.allocated_bytes[static_cast<size_t>(StatType::AGGREGATE)].peak) / (1 << 20);
  }
#endif
  return vm_hwm_mib();
}

}  // namespace scorekit
