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

// Draws live on the CPU generator and move to the target device, so a seed gives the same
// numbers on every device.
inline at::Tensor randn(at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts) {
  return at::randn(shape, gen, at::TensorOptions().dtype(at::kFloat)).to(opts.device());
}
inline at::Tensor rand(at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts) {
  return at::rand(shape, gen, at::TensorOptions().dtype(at::kFloat)).to(opts.device());
}
// Rademacher ±1 draws.
inline at::Tensor rademacher(at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts) {
  return at::bernoulli(at::full(shape, 0.5, at::TensorOptions().dtype(at::kFloat)), gen).mul_(2).sub_(1).to(opts.device());
}
// Sum over every dimension but the first: (B, ...) -> (B).
inline at::Tensor sum_per_sample(const at::Tensor& x) { return x.reshape({x.size(0), -1}).sum(1); }

// A CPU generator seeded deterministically.
at::Generator make_generator(uint64_t seed);

// Checks a data tensor for NaN/Inf; throws Error naming `what`.
void require_finite(const at::Tensor& x, const std::string& what);

}  // namespace scorekit
