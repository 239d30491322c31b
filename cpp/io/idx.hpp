#pragma once
// IDX files (LeCun's MNIST format, also Fashion-MNIST), plain or gzip-compressed: magic
// 0x00 0x00 <type> <ndims>, ndims big-endian u32 sizes, then the values in big-endian C order.
// Every field is checked against the bytes actually present, so a damaged file is an Error,
// never a short or garbage tensor.
#include <ATen/ATen.h>

#include <string>

namespace scorekit {

// Reads a whole IDX file (gzip detected by its own magic) into a tensor of the stored shape and
// type: u8 → kByte, i8 → kChar, i16 → kShort, i32 → kInt, f32 → kFloat, f64 → kDouble.
at::Tensor read_idx(const std::string& path);

// Parses IDX bytes already in memory (after decompression); `what` names the source in errors.
at::Tensor parse_idx(const std::vector<uint8_t>& bytes, const std::string& what);

}  // namespace scorekit
