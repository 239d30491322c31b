#pragma once
// Peak memory of a device, for benchmarks: the CUDA caching allocator's high-water mark on a GPU,
// the process's resident-set high-water mark (VmHWM) on the CPU.
#include <ATen/ATen.h>

namespace scorekit {

// Starts a new high-water mark (a no-op on the CPU, whose VmHWM cannot be reset).
void reset_peak_memory(const at::Device& device);
// MiB: bytes allocated at the peak since the last reset (CUDA), or VmHWM (CPU).
double peak_memory_mib(const at::Device& device);

}  // namespace scorekit
