#include "samplers/noise_source.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

NoiseSource::NoiseSource(at::Tensor x_T, at::Tensor normals)
    : x_T_(std::move(x_T)), normals_(normals.reshape({-1})) {}

at::Tensor NoiseSource::prior(ScoreModel& model, const Sde& sde, int64_t n) {
  auto shape = model.sample_shape();
  shape.insert(shape.begin(), n);
  if (gen_) return sde.prior_sample(shape, *gen_).to(model.device());
  if (x_T_.sizes() != at::IntArrayRef(shape))
    throw Error("the given prior draw has shape " + c10::str(x_T_.sizes()) + ", the sampler needs " +
                c10::str(at::IntArrayRef(shape)));
  return x_T_.to(model.device());
}

at::Tensor NoiseSource::normal(at::IntArrayRef shape, const at::TensorOptions& opts) {
  if (gen_) return randn(shape, *gen_, opts);
  int64_t count = 1;
  for (auto s : shape) count *= s;
  if (used_ + count > normals_.numel())
    throw Error("the sampler needs more normal draws than the " + std::to_string(normals_.numel()) +
                " given (at least " + std::to_string(used_ + count) + ")");
  auto out = normals_.narrow(0, used_, count).reshape(shape).to(opts.device(), opts.dtype());
  used_ += count;
  return out;
}

}  // namespace scorekit
