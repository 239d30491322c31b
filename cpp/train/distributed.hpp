#pragma once
// Data-parallel training through LibTorch's c10d: a Gloo (CPU tensors) or NCCL (CUDA tensors) backend rendezvoused
// through a TCPStore, configured the way PyTorch users expect (RANK, WORLD_SIZE, MASTER_ADDR,
// MASTER_PORT). Gradients are averaged with bucketed all-reduces. Every collective and the
// rendezvous run under a timeout, so a dead rank ends the job with an error instead of a hang.
#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <memory>
#include <string>

#include "util/spec.hpp"

namespace scorekit {

struct DistributedConfig {
  int rank = 0;
  int world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  double timeout_s = 60;  // rendezvous and every collective
  size_t bucket_bytes = 25u << 20;
  std::string backend = "auto";  // auto (nccl for a CUDA model when built in, else gloo) | gloo | nccl
  std::string device = "cpu";    // where the model lives; "auto" picks the backend from it

  // The backend `auto` stands for on this device; checks an explicit choice against it.
  std::string resolved_backend() const;

  // From RANK / WORLD_SIZE / MASTER_ADDR / MASTER_PORT (and SCOREKIT_DIST_TIMEOUT seconds);
  // world size 1 when RANK and WORLD_SIZE are unset.
  static DistributedConfig from_env();
  // {"rank", "world_size", "master_addr", "master_port", "timeout_s", "bucket_mb", "backend", "device"};
  // absent keys from the environment.
  static DistributedConfig from_spec(const Json& spec);
};

class ProcessGroup {
 public:
  explicit ProcessGroup(const DistributedConfig& config);  // blocks until all ranks joined (or timeout)
  ~ProcessGroup();
  int rank() const { return config_.rank; }
  int world_size() const { return config_.world_size; }
  const std::string& backend() const { return backend_; }

  // Sums the tensors across ranks in place, packing them into flat buckets of at most bucket_bytes.
  void allreduce_sum(const std::vector<at::Tensor>& tensors);
  double allreduce_sum(double value);
  // Copies rank 0's parameters and buffers into every rank's module.
  void broadcast_module(torch::nn::Module& module);
  void barrier();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  DistributedConfig config_;
  std::string backend_;
  at::Device device_ = at::kCPU;  // where scalar reductions run (NCCL reduces CUDA tensors only)
};

using ProcessGroupPtr = std::shared_ptr<ProcessGroup>;

}  // namespace scorekit
