#include "models/group_norm_silu.hpp"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "models/group_norm_silu_kernel.hpp"
#include "util/error.hpp"

namespace scorekit {

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;
namespace kernel = group_norm_silu_kernel;

at::Tensor with_shift(const at::Tensor& x, const at::Tensor& shift) {
  if (!shift.defined()) return x;
  auto sizes = shift.sizes().vec();
  sizes.resize(x.dim(), 1);
  return x + shift.reshape(sizes);
}

// A 4-D tensor in channels-last order (N, H, W, C) rather than contiguous: the kernel reads it as is.
bool channels_last(const at::Tensor& x) {
  return x.dim() == 4 && !x.is_contiguous() && x.is_contiguous(at::MemoryFormat::ChannelsLast);
}

at::Tensor aten_group_norm_silu(const at::Tensor& x, int64_t groups, const at::Tensor& weight, const at::Tensor& bias,
                                double eps, const at::Tensor& shift) {
  // ATen's channels-last GroupNorm on the CPU is several times slower than its contiguous one.
  if (channels_last(x) && x.device().is_cpu())
    return aten_group_norm_silu(x.contiguous(), groups, weight, bias, eps, shift).contiguous(at::MemoryFormat::ChannelsLast);
  return at::silu(at::group_norm(with_shift(x, shift), groups, weight, bias, eps));
}

struct Kernels {
  decltype(&kernel::AVX2::forward) forward;
  decltype(&kernel::AVX2::backward) backward;
  decltype(&kernel::AVX2::forward_channels_last) forward_channels_last;
  decltype(&kernel::AVX2::backward_channels_last) backward_channels_last;
};

const char* kernel_name(GroupNormSiluKernel k) {
  return k == GroupNormSiluKernel::avx512 ? "avx512" : k == GroupNormSiluKernel::avx2 ? "avx2" : "aten";
}

Kernels kernels_of(GroupNormSiluKernel k) {
#ifdef SCOREKIT_CPU_KERNELS
  if (k == GroupNormSiluKernel::avx512)
    return {kernel::AVX512::forward, kernel::AVX512::backward, kernel::AVX512::forward_channels_last,
            kernel::AVX512::backward_channels_last};
  if (k == GroupNormSiluKernel::avx2)
    return {kernel::AVX2::forward, kernel::AVX2::backward, kernel::AVX2::forward_channels_last,
            kernel::AVX2::backward_channels_last};
#endif
  return {nullptr, nullptr, nullptr, nullptr};
}

// The widest kernel this processor runs, or the one SCOREKIT_CPU_KERNEL names (aten, avx2, avx512:
// the benchmarks' before/after, and a way round a kernel suspected of a fault).
GroupNormSiluKernel best_kernel() {
  static const GroupNormSiluKernel best = [] {
    const std::vector<GroupNormSiluKernel> widest_first{GroupNormSiluKernel::avx512, GroupNormSiluKernel::avx2,
                                                        GroupNormSiluKernel::aten};
    const char* env = std::getenv("SCOREKIT_CPU_KERNEL");
    for (auto k : widest_first) {
      if (env && *env && std::string(env) != kernel_name(k)) continue;
      if (group_norm_silu_kernel_available(k)) return k;
      if (env && *env) throw Error(std::string("SCOREKIT_CPU_KERNEL=") + env + ": this processor or build lacks that kernel");
    }
    throw Error(std::string("SCOREKIT_CPU_KERNEL=") + env + ": expected aten, avx2 or avx512");
  }();
  return best;
}

// One (sample, group) slice of the (N, C, S) views.
kernel::Group slice(const at::Tensor& x, const at::Tensor& shift, const at::Tensor& weight, const at::Tensor& bias,
                    int64_t groups, int64_t i) {
  const int64_t channels = x.size(1) / groups, size = x.size(2), n = i / groups, c0 = (i % groups) * channels;
  return {x.data_ptr<float>() + (n * x.size(1) + c0) * size,
          shift.defined() ? shift.data_ptr<float>() + n * x.size(1) + c0 : nullptr,
          weight.data_ptr<float>() + c0,
          bias.data_ptr<float>() + c0,
          channels,
          size};
}

// Sample n of a channels-last tensor.
kernel::Pixels sample(const at::Tensor& x, const at::Tensor& shift, const at::Tensor& weight, const at::Tensor& bias,
                      int64_t groups, int64_t n) {
  const int64_t c = x.size(1), pixels = x.numel() / (x.size(0) * c);
  return {x.data_ptr<float>() + n * c * pixels, shift.defined() ? shift.data_ptr<float>() + n * c : nullptr,
          weight.data_ptr<float>(), bias.data_ptr<float>(), c, pixels, groups};
}

class FusedGroupNormSilu : public torch::autograd::Function<FusedGroupNormSilu> {
 public:
  // x: float32, contiguous (N, C, S) or channels-last (N, C, H, W); shift: undefined or contiguous (N, C).
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                            const c10::optional<at::Tensor>& shift_opt, int64_t groups, double eps, int64_t which) {
    const auto fns = kernels_of(GroupNormSiluKernel(which));
    const at::Tensor shift = shift_opt.value_or(at::Tensor());
    const at::Tensor w = weight.contiguous(), b = bias.contiguous();
    auto y = at::empty_like(x);  // keeps x's memory format
    auto stats = at::empty({2, x.size(0) * groups}, x.options());
    float* mean = stats[0].data_ptr<float>();
    float* rstd = stats[1].data_ptr<float>();
    float* out = y.data_ptr<float>();
    if (channels_last(x)) {
      const int64_t per_sample = x.numel() / x.size(0);
      at::parallel_for(0, x.size(0), 1, [&](int64_t begin, int64_t end) {
        for (int64_t n = begin; n < end; ++n)
          fns.forward_channels_last(sample(x, shift, w, b, groups, n), eps, out + n * per_sample, mean + n * groups,
                                    rstd + n * groups);
      });
    } else {
      const int64_t per_group = x.size(1) / groups * x.size(2);
      at::parallel_for(0, x.size(0) * groups, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
          fns.forward(slice(x, shift, w, b, groups, i), eps, out + i * per_group, mean + i, rstd + i);
      });
    }
    ctx->save_for_backward({x, weight, bias, shift, stats});
    ctx->saved_data["groups"] = groups;
    ctx->saved_data["eps"] = eps;
    ctx->saved_data["which"] = which;
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &weight = saved[1], &bias = saved[2], &shift = saved[3], &stats = saved[4];
    const int64_t groups = ctx->saved_data["groups"].toInt();
    const double eps = ctx->saved_data["eps"].toDouble();
    const at::Tensor dy = grad_outputs[0].contiguous(x.suggest_memory_format());
    if (at::GradMode::is_enabled()) return differentiable_backward(x, weight, bias, shift, groups, eps, dy);

    const auto fns = kernels_of(GroupNormSiluKernel(ctx->saved_data["which"].toInt()));
    const at::Tensor w = weight.contiguous(), b = bias.contiguous();
    const int64_t n = x.size(0), c = x.size(1);
    auto dx = at::empty_like(x);
    auto dweight = at::empty({n, c}, x.options()), dbias = at::empty({n, c}, x.options());
    at::Tensor dshift = shift.defined() ? at::empty({n, c}, x.options()) : at::Tensor();
    const float* dy_data = dy.data_ptr<float>();
    const float* mean = stats[0].data_ptr<float>();
    const float* rstd = stats[1].data_ptr<float>();
    float* dx_data = dx.data_ptr<float>();
    if (channels_last(x)) {
      const int64_t per_sample = x.numel() / n;
      at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
          fns.backward_channels_last(sample(x, shift, w, b, groups, i), dy_data + i * per_sample, mean + i * groups,
                                     rstd + i * groups, dx_data + i * per_sample, dweight.data_ptr<float>() + i * c,
                                     dbias.data_ptr<float>() + i * c,
                                     shift.defined() ? dshift.data_ptr<float>() + i * c : nullptr);
      });
      return {dx, dweight.sum(0), dbias.sum(0), dshift, at::Tensor(), at::Tensor(), at::Tensor()};
    }
    const int64_t per_group = c / groups * x.size(2);
    at::parallel_for(0, n * groups, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const int64_t offset = i * (c / groups);  // the slice's first (sample, channel) entry
        fns.backward(slice(x, shift, w, b, groups, i), dy_data + i * per_group, mean[i], rstd[i],
                     dx_data + i * per_group, dweight.data_ptr<float>() + offset, dbias.data_ptr<float>() + offset,
                     shift.defined() ? dshift.data_ptr<float>() + offset : nullptr);
      }
    });
    return {dx, dweight.sum(0), dbias.sum(0), dshift, at::Tensor(), at::Tensor(), at::Tensor()};
  }

 private:
  // create_graph: the gradient must itself be differentiable, so it is taken through ATen's ops.
  static variable_list differentiable_backward(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                                               const at::Tensor& shift, int64_t groups, double eps,
                                               const at::Tensor& dy) {
    std::vector<at::Tensor> inputs{x, weight, bias};
    if (shift.defined()) inputs.push_back(shift);
    // Inputs that do not require grad (a leaf data tensor) get a graph of their own to differentiate.
    for (auto& t : inputs)
      if (!t.requires_grad()) t = t.detach().requires_grad_();
    auto y = aten_group_norm_silu(inputs[0], groups, inputs[1], inputs[2], eps, shift.defined() ? inputs[3] : at::Tensor());
    auto grads = torch::autograd::grad({y}, inputs, {dy}, /*retain_graph=*/true, /*create_graph=*/true,
                                       /*allow_unused=*/true);
    return {grads[0], grads[1], grads[2], shift.defined() ? grads[3] : at::Tensor(), at::Tensor(), at::Tensor(),
            at::Tensor()};
  }
};

bool fused_applies(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, const at::Tensor& shift) {
  auto cpu_float = [](const at::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat; };
  return x.dim() >= 2 && cpu_float(x) && cpu_float(weight) && cpu_float(bias) && (!shift.defined() || cpu_float(shift));
}
}  // namespace

bool group_norm_silu_kernel_available(GroupNormSiluKernel kernel) {
  switch (kernel) {
    case GroupNormSiluKernel::automatic:
    case GroupNormSiluKernel::aten:
      return true;
#ifdef SCOREKIT_CPU_KERNELS
    case GroupNormSiluKernel::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case GroupNormSiluKernel::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
#endif
    default:
      return false;
  }
}

at::Tensor group_norm_silu(const at::Tensor& x, int64_t groups, const at::Tensor& weight, const at::Tensor& bias,
                           double eps, const at::Tensor& shift, GroupNormSiluKernel kernel) {
  if (kernel == GroupNormSiluKernel::automatic) kernel = fused_applies(x, weight, bias, shift) ? best_kernel() : GroupNormSiluKernel::aten;
  if (kernel == GroupNormSiluKernel::aten) return aten_group_norm_silu(x, groups, weight, bias, eps, shift);
  TORCH_CHECK(group_norm_silu_kernel_available(kernel), "group_norm_silu: this kernel is not available here");
  TORCH_CHECK(fused_applies(x, weight, bias, shift), "group_norm_silu: the fused kernel takes float32 CPU tensors");
  TORCH_CHECK(x.size(1) % groups == 0, "group_norm_silu: ", x.size(1), " channels do not split into ", groups, " groups");
  TORCH_CHECK(weight.numel() == x.size(1) && bias.numel() == x.size(1), "group_norm_silu: weight and bias need one entry per channel");
  TORCH_CHECK(!shift.defined() || (shift.dim() == 2 && shift.size(0) == x.size(0) && shift.size(1) == x.size(1)),
              "group_norm_silu: shift must be (N, C)");
  c10::optional<at::Tensor> shift_opt;
  if (shift.defined()) shift_opt = shift.contiguous();
  if (channels_last(x)) return FusedGroupNormSilu::apply(x, weight, bias, shift_opt, groups, eps, int64_t(kernel));
  const auto flat = x.reshape({x.size(0), x.size(1), -1}).contiguous();
  return FusedGroupNormSilu::apply(flat, weight, bias, shift_opt, groups, eps, int64_t(kernel)).reshape(x.sizes());
}

at::Tensor group_norm_silu(const at::Tensor& x, const torch::nn::GroupNorm& norm, const at::Tensor& shift) {
  const auto& options = norm->options;
  return group_norm_silu(x, options.num_groups(), norm->weight, norm->bias, options.eps(), shift);
}

}  // namespace scorekit
