#include "train/nccl_backend.hpp"

#ifdef USE_C10D_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "util/error.hpp"

namespace scorekit {

#ifdef USE_C10D_NCCL

bool nccl_available() { return true; }

c10::intrusive_ptr<Collective> make_nccl_backend(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world_size,
                                                 std::chrono::milliseconds timeout, int device_index) {
  // NCCL binds a communicator to the current device: set it before the first collective.
  c10::cuda::set_device(static_cast<c10::DeviceIndex>(device_index));
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = timeout;
  return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world_size, options);
}

#else

bool nccl_available() { return false; }

c10::intrusive_ptr<Collective> make_nccl_backend(const c10::intrusive_ptr<c10d::Store>&, int, int, std::chrono::milliseconds, int) {
  throw Error("distributed: backend 'nccl' needs a LibTorch built with CUDA and NCCL; this build has neither "
              "(scorekit info shows \"nccl\": false); use --dist-backend gloo");
}

#endif

}  // namespace scorekit
