#include "train/adam.hpp"

#include <torch/version.h>

#include <cmath>

#include "util/env_setting.hpp"

namespace scorekit {

namespace {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
constexpr bool kHasFusedKernel = true;
#else
constexpr bool kHasFusedKernel = false;  // 1.13 – 2.3: CUDA only; this class then uses the per-tensor update
#endif

// The fused kernel takes one device and dtype for the whole list, on the CPU or CUDA.
bool fused_applies(const std::vector<at::Tensor>& params) {
  if (params.empty()) return false;
  const auto device = params.front().device();
  const auto dtype = params.front().scalar_type();
  if (!(device.is_cpu() || device.is_cuda()) || !at::isFloatingType(dtype)) return false;
  for (const auto& p : params)
    if (p.device() != device || p.scalar_type() != dtype) return false;
  return true;
}
}  // namespace

bool Adam::fused_by_default() { return env_switch("SCOREKIT_FUSED_ADAM", true) && kHasFusedKernel; }

Adam::Adam(std::vector<at::Tensor> params, Options options, bool fused)
    : params_(std::move(params)), options_(options), fused_(fused && kHasFusedKernel && fused_applies(params_)),
      state_(params_.size()), step_tensors_(params_.size()) {}

void Adam::zero_grad() {
  for (auto& p : params_) p.mutable_grad() = at::Tensor();
}

void Adam::set_state(size_t i, State s) {
  step_tensors_.at(i) = at::Tensor();  // rebuilt from s.step at the next update
  state_.at(i) = std::move(s);
}

void Adam::step() {
  at::NoGradGuard no_grad;
  std::vector<size_t> live;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].grad().defined()) continue;
    live.push_back(i);
    auto& s = state_[i];
    if (!s.exp_avg.defined()) {
      s.exp_avg = at::zeros_like(params_[i], at::MemoryFormat::Preserve);
      s.exp_avg_sq = at::zeros_like(params_[i], at::MemoryFormat::Preserve);
    }
  }
  if (live.empty()) return;
  fused_ ? step_fused(live) : step_per_tensor(live);
  for (size_t i : live) ++state_[i].step;
}

void Adam::step_fused(const std::vector<size_t>& live) {
  std::vector<at::Tensor> params, grads, exp_avgs, exp_avg_sqs, steps;
  for (size_t i : live) {
    if (!step_tensors_[i].defined())
      step_tensors_[i] = at::full({}, double(state_[i].step), params_[i].options().dtype(at::kFloat));
    params.push_back(params_[i]);
    grads.push_back(params_[i].grad());
    exp_avgs.push_back(state_[i].exp_avg);
    exp_avg_sqs.push_back(state_[i].exp_avg_sq);
    steps.push_back(step_tensors_[i]);
  }
  at::_foreach_add_(steps, 1);
  at::_fused_adam_(params, grads, exp_avgs, exp_avg_sqs, /*max_exp_avg_sqs=*/{}, steps, options_.lr, options_.beta1,
                   options_.beta2, /*weight_decay=*/0.0, options_.eps, /*amsgrad=*/false, /*maximize=*/false);
}

void Adam::step_per_tensor(const std::vector<size_t>& live) {
  const auto& o = options_;
  for (size_t i : live) {
    auto& s = state_[i];
    const auto& g = params_[i].grad();
    const double step = double(s.step + 1);
    const double correction1 = 1 - std::pow(o.beta1, step), correction2 = 1 - std::pow(o.beta2, step);
    s.exp_avg.lerp_(g, 1 - o.beta1);
    s.exp_avg_sq.mul_(o.beta2).addcmul_(g, g, 1 - o.beta2);
    auto denom = (s.exp_avg_sq.sqrt() / std::sqrt(correction2)).add_(o.eps);
    params_[i].addcdiv_(s.exp_avg, denom, -o.lr / correction1);
  }
}

}  // namespace scorekit
