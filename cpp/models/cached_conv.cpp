#include "models/cached_conv.hpp"

#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/autograd.h>

#include <stdexcept>
#include <vector>

#include "models/onednn_conv_engine.hpp"
#include "util/env_setting.hpp"
#include "util/error.hpp"

namespace scorekit {

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;
namespace engine = onednn_conv;

// SCOREKIT_ONEDNN_CONV=0 sends every convolution to ATen (the benchmarks' before/after).
bool enabled() {
  static const bool on = engine::available() && env_switch("SCOREKIT_ONEDNN_CONV", true);
  return on;
}

at::Tensor channels_last(const at::Tensor& t) { return t.contiguous(at::MemoryFormat::ChannelsLast); }

engine::Shape shape_of(const at::Tensor& x, const at::Tensor& weight, int64_t stride, int64_t padding) {
  return {x.size(0), x.size(1), weight.size(0), x.size(2), x.size(3), weight.size(2), stride, padding};
}

// The engine's errors (std::runtime_error) as the library's.
template <typename F>
void run(F&& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    throw Error(e.what());
  }
}

at::Tensor forward_of(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int64_t stride,
                      int64_t padding) {
  const auto s = shape_of(x, weight, stride, padding);
  auto xs = channels_last(x);
  auto w = weight.contiguous();
  auto b = bias.defined() ? bias.contiguous() : bias;
  auto y = at::empty({s.batch, s.out_channels, s.out_height(), s.out_width()},
                     x.options().memory_format(at::MemoryFormat::ChannelsLast));
  run([&] { engine::forward(s, xs.data_ptr<float>(), w.data_ptr<float>(), b.defined() ? b.data_ptr<float>() : nullptr, y.data_ptr<float>()); });
  return y;
}

struct CachedConv : public torch::autograd::Function<CachedConv> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                            int64_t stride, int64_t padding) {
    ctx->save_for_backward({x, weight});
    ctx->saved_data["stride"] = stride;
    ctx->saved_data["padding"] = padding;
    ctx->saved_data["bias"] = bias.numel() > 0;
    return forward_of(x, weight, bias.numel() > 0 ? bias : at::Tensor(), stride, padding);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &weight = saved[1];
    const int64_t stride = ctx->saved_data["stride"].toInt(), padding = ctx->saved_data["padding"].toInt();
    const bool bias = ctx->saved_data["bias"].toBool();
    const bool need_x = ctx->needs_input_grad(0), need_w = ctx->needs_input_grad(1), need_b = bias && ctx->needs_input_grad(2);
    if (!grads[0].defined()) return {at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
    if (at::GradMode::is_enabled()) {  // create_graph: gradients LibTorch can differentiate
      const std::vector<int64_t> bias_sizes{weight.size(0)};
      auto [dx, dw, db] = at::convolution_backward(grads[0], x, weight, bias ? at::OptionalIntArrayRef(bias_sizes) : at::OptionalIntArrayRef(),
                                                   {stride, stride}, {padding, padding}, {1, 1}, false, {0, 0}, 1,
                                                   {need_x, need_w, need_b});
      return {dx, dw, db, at::Tensor(), at::Tensor()};
    }
    const auto s = shape_of(x, weight, stride, padding);
    auto dy = channels_last(grads[0]);
    auto xs = channels_last(x);
    at::Tensor dx, dw, db;
    if (need_x) {
      dx = at::empty_like(xs, at::MemoryFormat::ChannelsLast);
      auto w = weight.contiguous();
      run([&] { engine::backward_data(s, dy.data_ptr<float>(), w.data_ptr<float>(), dx.data_ptr<float>()); });
    }
    if (need_w || need_b) {
      dw = at::empty(weight.sizes(), weight.options());
      if (bias) db = at::empty({weight.size(0)}, weight.options());
      run([&] { engine::backward_weights(s, xs.data_ptr<float>(), dy.data_ptr<float>(), dw.data_ptr<float>(), bias ? db.data_ptr<float>() : nullptr); });
      if (!need_w) dw = at::Tensor();
      if (!need_b) db = at::Tensor();
    }
    return {dx, dw, db, at::Tensor(), at::Tensor()};
  }
};
}  // namespace

bool cached_conv_applies(const at::Tensor& x, const at::Tensor& weight) {
  return enabled() && x.device().is_cpu() && x.dim() == 4 && weight.dim() == 4 && x.scalar_type() == at::kFloat &&
         weight.scalar_type() == at::kFloat && weight.size(1) == x.size(1) && weight.size(2) == weight.size(3) &&
         x.is_contiguous(at::MemoryFormat::ChannelsLast) &&
         // Under autocast at::conv2d casts to the autocast type; this path would not.
         !c10::impl::tls_is_dispatch_key_included(c10::DispatchKey::AutocastCPU);
}

at::Tensor cached_conv2d(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int64_t stride,
                         int64_t padding) {
  if (!cached_conv_applies(x, weight)) return at::conv2d(x, weight, bias, stride, padding);
  const bool tracked = at::GradMode::is_enabled() &&
                       (x.requires_grad() || weight.requires_grad() || (bias.defined() && bias.requires_grad()));
  if (!tracked) return forward_of(x, weight, bias, stride, padding);
  // A Function's inputs must be defined: no bias travels as an empty tensor.
  return CachedConv::apply(x, weight, bias.defined() ? bias : at::empty({0}, weight.options()), stride, padding);
}

}  // namespace scorekit
