#pragma once
#include <ATen/ATen.h>

#include <vector>

namespace scorekit {

// The global L2 norm of the parameters' gradients; when it exceeds max_norm (> 0; infinity: never)
// every gradient is scaled by max_norm / (norm + 1e-6), as torch.nn.utils.clip_grad_norm_ does.
// Multi-tensor (_foreach) kernels: a few dispatches a step, not two per parameter.
double clip_grad_norm(const std::vector<at::Tensor>& params, double max_norm);

}  // namespace scorekit
