#pragma once
// Adam (Kingma & Ba 2015) with bias correction: the trainer's optimiser. One call updates every
// parameter with LibTorch's fused multi-tensor kernel (_fused_adam_, CPU and CUDA from LibTorch 2.4)
// where it applies, and with the same update as per-tensor ATen ops elsewhere. The state per
// parameter is torch::optim::Adam's (first and second moments, step count), so checkpoints are
// unchanged.
#include <ATen/ATen.h>

#include <vector>

namespace scorekit {

class Adam {
 public:
  struct Options {
    double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  };
  // A parameter's moments; step 0 (undefined moments) until its first update.
  struct State {
    at::Tensor exp_avg, exp_avg_sq;
    int64_t step = 0;
  };

  // fused: use the fused kernel where it applies (see fused_by_default).
  Adam(std::vector<at::Tensor> params, Options options, bool fused = fused_by_default());

  void set_lr(double lr) { options_.lr = lr; }
  // Drops every gradient; parameters without one are left alone by step(), as in torch::optim.
  void zero_grad();
  void step();

  // Per parameter, in the constructor's order.
  const State& state(size_t i) const { return state_.at(i); }
  void set_state(size_t i, State s);

  // False where SCOREKIT_FUSED_ADAM=0 (the benchmarks' before/after) or LibTorch lacks the CPU kernel.
  static bool fused_by_default();
  bool fused() const { return fused_; }

 private:
  void step_fused(const std::vector<size_t>& live);
  void step_per_tensor(const std::vector<size_t>& live);

  std::vector<at::Tensor> params_;
  Options options_;
  bool fused_;
  std::vector<State> state_;
  std::vector<at::Tensor> step_tensors_;  // the fused kernel's float step counts, on each parameter's device
};

}  // namespace scorekit
