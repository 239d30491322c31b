#include "util/tensor_ops.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include "util/error.hpp"

namespace scorekit {

at::Generator make_generator(uint64_t seed) { return at::detail::createCPUGenerator(seed); }

void require_finite(const at::Tensor& x, const std::string& what) {
  if (!at::isfinite(x).all().item<bool>()) throw Error(what + " contains NaN or Inf values");
}

}  // namespace scorekit
