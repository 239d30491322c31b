#pragma once
// The U-Net's 2-D convolutions. On the CPU, for float32 channels-last activations, they run through
// oneDNN primitives kept per shape (models/onednn_conv_engine.hpp) instead of ATen's, which set up
// oneDNN anew on every call; elsewhere — CUDA, other dtypes or layouts, autocast, a build without
// oneDNN, SCOREKIT_ONEDNN_CONV=0 — they are at::conv2d. The result is channels-last on that path.
//
// Gradients: the same oneDNN primitives for a plain backward pass. A backward pass that builds a
// graph of its own (create_graph, as SSM and ISM do for the input gradient) gets them from
// at::convolution_backward instead, which LibTorch differentiates again.
#include <ATen/ATen.h>

namespace scorekit {

at::Tensor cached_conv2d(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int64_t stride,
                         int64_t padding);

// Whether cached_conv2d would take the oneDNN path for this input and weight.
bool cached_conv_applies(const at::Tensor& x, const at::Tensor& weight);

}  // namespace scorekit
