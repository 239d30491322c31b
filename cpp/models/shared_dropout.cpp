#include "models/shared_dropout.hpp"

#include "util/error.hpp"

namespace scorekit {

SharedDropout::SharedDropout(double p, std::shared_ptr<const DropoutDraws> draws) : p_(p), draws_(std::move(draws)) {}

at::Tensor SharedDropout::forward(const at::Tensor& x) {
  if (!is_training() || p_ <= 0) return x;
  const int64_t copies = draws_ ? draws_->copies : 1;
  if (x.size(0) % copies != 0)
    throw Error("dropout: a batch of " + std::to_string(x.size(0)) + " rows is not " + std::to_string(copies) + " copies");
  auto shape = x.sizes().vec();
  shape[0] /= copies;
  // Drawn on the CPU like every other draw, so a seed gives the same masks on every device.
  auto keep = at::full(shape, 1.0 - p_, at::TensorOptions().dtype(at::kFloat));
  auto mask = (draws_ && draws_->gen ? at::bernoulli(keep, *draws_->gen) : at::bernoulli(keep)) / (1.0 - p_);
  std::vector<int64_t> rep(x.dim(), 1);
  rep[0] = copies;
  return x * mask.to(x.device(), x.scalar_type()).repeat(rep);
}

}  // namespace scorekit
