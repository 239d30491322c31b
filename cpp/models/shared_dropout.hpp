#pragma once
// Dropout whose masks an objective controls. For the span of one loss (Objective::loss) the masks
// come from the run's generator, never LibTorch's global one, so a seed fixes a whole run; and the
// `copies` stacked copies of one batch in a single forward pass (rows i, i + B, i + 2B, …) share
// one mask per sample, so an objective's paired evaluations of a sample (LCSS's x and x + σε,
// FD-SSM's x ± v) differ by their inputs alone, not by mask noise divided by σ or ε².
#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <memory>

namespace scorekit {

struct DropoutDraws {
  at::Generator* gen = nullptr;  // null: LibTorch's global generator (a model used outside an objective)
  int64_t copies = 1;            // the leading dimension is `copies` stacked copies of one batch
};

// Inverted dropout (kept units scaled by 1/(1 − p)) in training mode, the identity in eval mode.
class SharedDropout : public torch::nn::Module {
 public:
  SharedDropout(double p, std::shared_ptr<const DropoutDraws> draws);
  at::Tensor forward(const at::Tensor& x);

 private:
  double p_;
  std::shared_ptr<const DropoutDraws> draws_;
};

}  // namespace scorekit
