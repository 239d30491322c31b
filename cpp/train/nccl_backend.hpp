#pragma once
// The NCCL backend of c10d for CUDA tensors, in a file of its own because its header pulls in
// CUDA's. Built only when LibTorch has CUDA and the toolkit has nccl.h (USE_C10D_NCCL).
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/version.h>

#include <chrono>

#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
namespace scorekit {
using Collective = c10d::Backend;  // what a process group's backend is in LibTorch 2.x
}
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
namespace scorekit {
using Collective = c10d::ProcessGroup;  // LibTorch 1.13: backends derive from ProcessGroup
}
#endif

namespace scorekit {

// True when this build can create the NCCL backend.
bool nccl_available();
// An NCCL backend over `store`; each rank uses the CUDA device `device_index`. Throws when
// unavailable.
c10::intrusive_ptr<Collective> make_nccl_backend(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world_size,
                                                 std::chrono::milliseconds timeout, int device_index);

}  // namespace scorekit
