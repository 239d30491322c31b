#include "models/onednn_conv_engine.hpp"

#ifdef SCOREKIT_WITH_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#endif

#include <stdexcept>

namespace scorekit::onednn_conv {

#ifndef SCOREKIT_WITH_ONEDNN

bool available() { return false; }
size_t kept_primitives() { return 0; }
void forward(const Shape&, const float*, const float*, const float*, float*) { throw std::runtime_error("built without oneDNN"); }
void backward_data(const Shape&, const float*, const float*, float*) { throw std::runtime_error("built without oneDNN"); }
void backward_weights(const Shape&, const float*, const float*, float*, float*) { throw std::runtime_error("built without oneDNN"); }

#else

namespace {
using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

// Engines may be shared, streams may not; primitives may, but the memory objects kept with them are
// rebound on every call, so each thread keeps its own of everything.
struct Context {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};
Context& context() {
  thread_local Context c;
  return c;
}

// Memory objects are rebound to the caller's arrays on every call.
memory unbound(const memory::desc& md) { return memory(md, context().engine, DNNL_MEMORY_NONE); }
void bind(memory& m, const void* p) { m.set_data_handle(const_cast<void*>(p)); }

struct Descs {
  memory::desc x, y, weight_any, weight_user, bias;
  memory::dims strides, padding;
};
Descs descs_of(const Shape& s) {
  Descs d;
  d.x = memory::desc({s.batch, s.in_channels, s.height, s.width}, f32, tag::nhwc);
  d.y = memory::desc({s.batch, s.out_channels, s.out_height(), s.out_width()}, f32, tag::nhwc);
  d.weight_any = memory::desc({s.out_channels, s.in_channels, s.kernel, s.kernel}, f32, tag::any);
  d.weight_user = memory::desc({s.out_channels, s.in_channels, s.kernel, s.kernel}, f32, tag::oihw);
  d.bias = memory::desc({s.out_channels}, f32, tag::a);
  d.strides = {s.stride, s.stride};
  d.padding = {s.padding, s.padding};
  return d;
}

dnnl::primitive_attr user_scratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

dnnl::convolution_forward::primitive_desc forward_pd(const Descs& d, bool bias) {
  using F = dnnl::convolution_forward;
  auto desc = bias ? F::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, d.x, d.weight_any,
                             d.bias, d.y, d.strides, d.padding, d.padding)
                   : F::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, d.x, d.weight_any,
                             d.y, d.strides, d.padding, d.padding);
  return F::primitive_desc(desc, user_scratchpad(), context().engine);
}

// The weights as the primitive wants them: the caller's array itself, or a reordered copy.
struct WeightsIn {
  memory user, internal;
  std::optional<dnnl::reorder> reorder;
  WeightsIn(const Descs& d, const memory::desc& wanted) : user(unbound(d.weight_user)) {
    if (wanted == d.weight_user) return;
    internal = memory(wanted, context().engine);
    reorder = dnnl::reorder(user, internal);
  }
  const memory& bound(const float* w) {
    bind(user, w);
    if (!reorder) return user;
    reorder->execute(context().stream, user, internal);
    return internal;
  }
};

struct Forward {
  memory x, y, bias, scratchpad;
  WeightsIn weights;
  dnnl::convolution_forward conv;
  Forward(const Descs& d, bool with_bias, const dnnl::convolution_forward::primitive_desc& pd)
      : x(unbound(d.x)), y(unbound(d.y)), bias(unbound(d.bias)), scratchpad(pd.scratchpad_desc(), context().engine),
        weights(d, pd.weights_desc()), conv(pd) {}
  void run(const float* xp, const float* w, const float* b, float* yp) {
    bind(x, xp), bind(y, yp);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, weights.bound(w)}, {DNNL_ARG_DST, y},
                                         {DNNL_ARG_SCRATCHPAD, scratchpad}};
    if (b) bind(bias, b), args.emplace(DNNL_ARG_BIAS, bias);
    conv.execute(context().stream, args);
    context().stream.wait();
  }
};

struct BackwardData {
  memory dy, dx, scratchpad;
  WeightsIn weights;
  dnnl::convolution_backward_data conv;
  BackwardData(const Descs& d, const dnnl::convolution_backward_data::primitive_desc& pd)
      : dy(unbound(d.y)), dx(unbound(d.x)), scratchpad(pd.scratchpad_desc(), context().engine),
        weights(d, pd.weights_desc()), conv(pd) {}
  void run(const float* dyp, const float* w, float* dxp) {
    bind(dy, dyp), bind(dx, dxp);
    conv.execute(context().stream, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, weights.bound(w)},
                                    {DNNL_ARG_DIFF_SRC, dx}, {DNNL_ARG_SCRATCHPAD, scratchpad}});
    context().stream.wait();
  }
};

struct BackwardWeights {
  memory x, dy, dbias, dweight_user, dweight_internal, scratchpad;
  std::optional<dnnl::reorder> reorder;  // the primitive's layout back to (O, I, KH, KW)
  dnnl::convolution_backward_weights conv;
  BackwardWeights(const Descs& d, const dnnl::convolution_backward_weights::primitive_desc& pd)
      : x(unbound(d.x)), dy(unbound(d.y)), dbias(unbound(d.bias)), dweight_user(unbound(d.weight_user)),
        scratchpad(pd.scratchpad_desc(), context().engine), conv(pd) {
    if (pd.diff_weights_desc() != d.weight_user) {
      dweight_internal = memory(pd.diff_weights_desc(), context().engine);
      reorder = dnnl::reorder(dweight_internal, dweight_user);
    }
  }
  void run(const float* xp, const float* dyp, float* dw, float* db) {
    bind(x, xp), bind(dy, dyp), bind(dweight_user, dw);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy},
                                         {DNNL_ARG_DIFF_WEIGHTS, reorder ? dweight_internal : dweight_user},
                                         {DNNL_ARG_SCRATCHPAD, scratchpad}};
    if (db) bind(dbias, db), args.emplace(DNNL_ARG_DIFF_BIAS, dbias);
    conv.execute(context().stream, args);
    if (reorder) reorder->execute(context().stream, dweight_internal, dweight_user);
    context().stream.wait();
  }
};

using Key = std::array<int64_t, 9>;  // the shape and whether there is a bias
Key key_of(const Shape& s, bool bias) {
  return {s.batch, s.in_channels, s.out_channels, s.height, s.width, s.kernel, s.stride, s.padding, bias ? 1 : 0};
}

// One thread's primitives, by shape. A training run meets a few dozen shapes; a host that meets ever
// new ones (every batch size of an evaluation, say) keeps at most kMaxShapes of each kind, and
// starts afresh when that is reached rather than grow without bound.
constexpr size_t kMaxShapes = 64;
template <typename T>
using Cache = std::map<Key, std::unique_ptr<T>>;
thread_local Cache<Forward> kept_forward;
thread_local Cache<BackwardData> kept_backward_data;
thread_local Cache<BackwardWeights> kept_backward_weights;

template <typename T, typename Make>
T& cached(Cache<T>& cache, const Key& key, Make&& make) {
  auto it = cache.find(key);
  if (it != cache.end()) return *it->second;
  if (cache.size() >= kMaxShapes) cache.clear();
  return *cache.emplace(key, make()).first->second;
}

// oneDNN's C++ API throws dnnl::error; callers get what went wrong as a runtime_error.
template <typename F>
void translated(const char* what, F&& f) {
  try {
    f();
  } catch (const dnnl::error& e) {
    throw std::runtime_error(std::string("oneDNN convolution (") + what + "): " + e.what());
  }
}
}  // namespace

bool available() { return true; }

size_t kept_primitives() { return kept_forward.size() + kept_backward_data.size() + kept_backward_weights.size(); }

void forward(const Shape& s, const float* x, const float* weight, const float* bias, float* y) {
  translated("forward", [&] {
    cached(kept_forward, key_of(s, bias), [&] {
      const auto d = descs_of(s);
      return std::make_unique<Forward>(d, bias != nullptr, forward_pd(d, bias != nullptr));
    }).run(x, weight, bias, y);
  });
}

void backward_data(const Shape& s, const float* dy, const float* weight, float* dx) {
  translated("backward data", [&] {
    cached(kept_backward_data, key_of(s, false), [&] {
      const auto d = descs_of(s);
      using B = dnnl::convolution_backward_data;
      B::desc desc(dnnl::algorithm::convolution_direct, d.x, d.weight_any, d.y, d.strides, d.padding, d.padding);
      return std::make_unique<BackwardData>(d, B::primitive_desc(desc, user_scratchpad(), context().engine, forward_pd(d, false)));
    }).run(dy, weight, dx);
  });
}

void backward_weights(const Shape& s, const float* x, const float* dy, float* dweight, float* dbias) {
  translated("backward weights", [&] {
    cached(kept_backward_weights, key_of(s, dbias), [&] {
      const auto d = descs_of(s);
      const bool bias = dbias != nullptr;
      using B = dnnl::convolution_backward_weights;
      auto desc = bias ? B::desc(dnnl::algorithm::convolution_direct, d.x, d.weight_any, d.bias, d.y, d.strides, d.padding, d.padding)
                       : B::desc(dnnl::algorithm::convolution_direct, d.x, d.weight_any, d.y, d.strides, d.padding, d.padding);
      return std::make_unique<BackwardWeights>(d, B::primitive_desc(desc, user_scratchpad(), context().engine, forward_pd(d, bias)));
    }).run(x, dy, dweight, dbias);
  });
}

#endif

}  // namespace scorekit::onednn_conv
