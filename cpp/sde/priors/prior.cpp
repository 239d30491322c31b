#include "sde/priors/prior.hpp"

#include "util/tensor_ops.hpp"

namespace scorekit {

at::Tensor Prior::log_prob(const at::Tensor& x) const { return sum_per_sample(log_density(x)); }

}  // namespace scorekit
