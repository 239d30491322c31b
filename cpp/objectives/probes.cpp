#include "objectives/probes.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/spec.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

at::Tensor sphere_directions(at::IntArrayRef shape, double radius, at::Generator& gen, const at::TensorOptions& opts) {
  auto v = randn(shape, gen, opts);
  return v / per_sample(sum_per_sample(v * v).sqrt(), v) * radius;
}

at::Tensor draw_probes(const std::string& kind, at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts) {
  if (kind == "gaussian") return randn(shape, gen, opts);
  if (kind == "rademacher") return rademacher(shape, gen, opts);
  if (kind == "sphere") {
    int64_t d = 1;
    for (size_t i = 1; i < shape.size(); ++i) d *= shape[i];
    return sphere_directions(shape, std::sqrt(static_cast<double>(d)), gen, opts);
  }
  unknown_name("probe distribution", kind, probe_kinds());
}

}  // namespace scorekit
