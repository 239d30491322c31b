#include "models/shared_dropout.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

SharedDropout::SharedDropout(double p, std::shared_ptr<const DropoutDraws> draws) : p_(p), draws_(std::move(draws)) {}

at::Tensor SharedDropout::forward(const at::Tensor& x) {
  if (!is_training() || p_ <= 0) return x;
  const int64_t copies = draws_ ? draws_->copies : 1;
  if (x.size(0) % copies != 0)
    throw Error("dropout: a batch of " + std::to_string(x.size(0)) + " rows is not " + std::to_string(copies) + " copies");
  auto shape = x.sizes().vec();
  shape[0] /= copies;
  // Drawn on the generator's own device like every other draw (util/tensor_ops.hpp), so a CPU
  // generator gives the same masks on every device and a CUDA one keeps them on the GPU.
  at::Tensor mask;
  if (draws_ && draws_->gen) {
    mask = at::bernoulli(at::full(shape, 1.0 - p_, on_generator(*draws_->gen)), *draws_->gen);
  } else {
    mask = at::bernoulli(at::full(shape, 1.0 - p_, x.options().dtype(at::kFloat)));
  }
  mask = on_device(mask, x.device()).to(x.scalar_type()) / (1.0 - p_);
  std::vector<int64_t> rep(x.dim(), 1);
  rep[0] = copies;
  return x * mask.repeat(rep);
}

}  // namespace scorekit
