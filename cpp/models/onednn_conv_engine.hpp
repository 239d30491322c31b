#pragma once
// 2-D convolutions run by oneDNN directly (the system's libdnnl, Debian's libdnnl-dev), with every
// primitive created once per shape and thread and kept. LibTorch reaches the same kind of kernels
// through ATen and ideep, which build a primitive descriptor anew on every call — 30–60 µs a call,
// most of the time of a small convolution (docs/benchmarks.md). models/cached_conv.hpp wraps this
// for autograd.
//
// Plain pointers and sizes only: this file is compiled apart from LibTorch, whose own (newer, hidden)
// copy of oneDNN ships headers of the same names. Activations are channels-last (N, H, W, C) float
// arrays; weights (O, I, KH, KW) contiguous, biases (O). Groups 1, dilation 1, square strides and
// symmetric padding. Errors are thrown as std::runtime_error.
#include <cstddef>
#include <cstdint>

namespace scorekit::onednn_conv {

struct Shape {
  int64_t batch, in_channels, out_channels, height, width, kernel, stride, padding;
  int64_t out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
  int64_t out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
};

// Whether this build has oneDNN (SCOREKIT_WITH_ONEDNN), so the functions below do any work.
bool available();

// How many primitives (of the three kinds) the calling thread keeps: at most 64 shapes of each kind.
size_t kept_primitives();

// y = conv(x, weight) + bias; bias may be null.
void forward(const Shape& s, const float* x, const float* weight, const float* bias, float* y);
// dx = conv_transpose(dy, weight).
void backward_data(const Shape& s, const float* dy, const float* weight, float* dx);
// dweight (and dbias when not null) from x and dy; overwritten, not accumulated.
void backward_weights(const Shape& s, const float* x, const float* dy, float* dweight, float* dbias);

}  // namespace scorekit::onednn_conv
