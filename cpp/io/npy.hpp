#pragma once
// NumPy .npy files (format 1.0-3.0, little-endian float32/float64, C order): read with every
// header field checked against the file size, written as float32.
#include <ATen/ATen.h>

#include <string>

namespace scorekit {

at::Tensor read_npy(const std::string& path);  // float32 tensor of the stored shape
void write_npy(const std::string& path, const at::Tensor& x);

}  // namespace scorekit
