#pragma once
// Small tensor helpers shared across the core: broadcasting per-sample scalars and seeded draws.
#include <ATen/ATen.h>

namespace scorekit {

// Reshapes a per-sample vector (B) so it broadcasts against x (B, ...).
inline at::Tensor per_sample(const at::Tensor& v, const at::Tensor& x) {
  std::vector<int64_t> shape(x.dim(), 1);
  shape[0] = v.size(0);
  return v.reshape(shape);
}

// Draws come from `gen` on the generator's own device and then move to opts' device: a CPU
// generator gives the same numbers on every device, a CUDA generator keeps the draws on the GPU.
inline at::TensorOptions on_generator(const at::Generator& gen, at::ScalarType dtype = at::kFloat) {
  return at::TensorOptions().dtype(dtype).device(gen.device());
}
// x on `device`, without a call into LibTorch's conversion when it is there already (the common case).
inline at::Tensor on_device(const at::Tensor& x, const at::Device& device) {
  return x.device() == device ? x : x.to(device);
}
inline at::Tensor randn(at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts) {
  return on_device(at::randn(shape, gen, on_generator(gen)), opts.device());
}
inline at::Tensor rand(at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts) {
  return on_device(at::rand(shape, gen, on_generator(gen)), opts.device());
}
// Rademacher ±1 draws.
inline at::Tensor rademacher(at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts) {
  return on_device(at::bernoulli(at::full(shape, 0.5, on_generator(gen)), gen).mul_(2).sub_(1), opts.device());
}
// The time t for every sample of the batch x, on x's device: float64 when x is (a float64 run keeps
// its precision in t too), float32 otherwise.
inline at::Tensor batch_time(const at::Tensor& x, double t) {
  const auto dtype = x.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
  return at::full({x.size(0)}, t, at::TensorOptions().device(x.device()).dtype(dtype));
}
// Whether every entry of the per-sample times t (B ≥ 2) is the same, as in sampling, so a model can
// run its time path once and broadcast it: yes for a broadcast (stride 0) on any device; on the CPU
// also for equal values (a scan that stops at the first difference; on a GPU it would cost a
// synchronisation). No when t requires a gradient, which one row would pool for all.
bool one_time_for_all(const at::Tensor& t);
// Sum over every dimension but the first: (B, ...) -> (B).
inline at::Tensor sum_per_sample(const at::Tensor& x) { return x.reshape({x.size(0), -1}).sum(1); }

// A generator seeded deterministically, on the CPU (the default) or on a CUDA device. The same seed
// on CPU and GPU gives different (statistically equal) streams; on one device it repeats exactly.
at::Generator make_generator(uint64_t seed, const at::Device& device = at::kCPU);

// Parses a device name ("cpu", "cuda", "cuda:N") and checks that this build and machine have it.
at::Device parse_device(const std::string& name);
// `name` when this build and machine have that device, else "cpu".
std::string available_device(const std::string& name);

// Checks a data tensor for NaN/Inf; throws Error naming `what`.
void require_finite(const at::Tensor& x, const std::string& what);

}  // namespace scorekit
