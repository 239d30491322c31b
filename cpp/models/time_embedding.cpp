#include "models/time_embedding.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/spec.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

TimeEmbedding::TimeEmbedding(const std::string& kind, int64_t dim, double fourier_scale, uint64_t seed)
    : kind_(kind), dim_(dim) {
  if (dim % 2) throw Error("time embedding dimension must be even, got " + std::to_string(dim));
  const int64_t half = dim / 2;
  at::Tensor f;
  if (kind == "fourier") {
    auto gen = make_generator(seed);
    f = at::randn({half}, gen, at::kFloat) * fourier_scale * 2 * M_PI;
  } else if (kind == "sinusoidal") {
    // t is scaled by 1000 as in DDPM, frequencies 1 ... 1/10000.
    f = 1000.0 * at::exp(-std::log(10000.0) * at::arange(half, at::kFloat) / std::max<int64_t>(half - 1, 1));
  } else {
    unknown_name("time embedding", kind, {"fourier", "sinusoidal"});
  }
  freqs_ = register_buffer("freqs", f);
}

at::Tensor TimeEmbedding::forward(const at::Tensor& t) {
  auto arg = t.to(at::kFloat).unsqueeze(1) * freqs_.unsqueeze(0);
  return at::cat({at::sin(arg), at::cos(arg)}, 1);
}

}  // namespace scorekit
