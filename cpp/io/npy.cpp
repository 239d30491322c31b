#include "io/npy.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>

#include "io/atomic_file.hpp"
#include "util/error.hpp"

namespace scorekit {

namespace {

constexpr size_t kNpyMaxDims = 32;            // NumPy's own limit
constexpr uint64_t kMaxCount = 1ull << 40;  // elements; far beyond any data set here

struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
  uint64_t count = 1;  // elements
};

// Where the value of 'key' starts in the header (after the key, a colon and spaces), or npos.
size_t value_of(const std::string& h, const std::string& key) {
  const std::string quoted = "'" + key + "'";
  for (size_t at = h.find(quoted); at != std::string::npos; at = h.find(quoted, at + 1)) {
    size_t p = at + quoted.size();
    while (p < h.size() && std::isspace(static_cast<unsigned char>(h[p]))) ++p;
    if (p >= h.size() || h[p] != ':') continue;
    ++p;
    while (p < h.size() && std::isspace(static_cast<unsigned char>(h[p]))) ++p;
    return p;
  }
  return std::string::npos;
}

// The header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
// Read by hand, in one pass over each value: std::regex recursed once per character and overflowed
// the stack on a long header (found by tests/c/fuzz, kept in tests/c/fuzz/regressions/npy).
NpyHeader parse_header(const std::string& h, const std::string& path) {
  NpyHeader out;
  size_t p = value_of(h, "descr");
  const size_t close = p == std::string::npos || h[p] != '\'' ? std::string::npos : h.find('\'', p + 1);
  if (close == std::string::npos) throw Error("npy: '" + path + "' header has no descr");
  out.descr = h.substr(p + 1, close - p - 1);
  p = value_of(h, "fortran_order");
  out.fortran_order = p != std::string::npos && h.compare(p, 4, "True") == 0;
  p = value_of(h, "shape");
  const size_t end = p == std::string::npos || h[p] != '(' ? std::string::npos : h.find(')', p);
  if (end == std::string::npos) throw Error("npy: '" + path + "' header has no shape");
  // The bound is on the nonzero dimensions: after a zero, the count stays 0 and would let any later
  // dimensions through, whose product overflows LibTorch's int64 sizes (found by the fuzzer).
  uint64_t nonzero = 1;
  for (size_t i = p + 1; i < end;) {
    if (!std::isdigit(static_cast<unsigned char>(h[i]))) {
      ++i;
      continue;
    }
    uint64_t v = 0;
    for (; i < end && std::isdigit(static_cast<unsigned char>(h[i])); ++i) {
      v = v * 10 + static_cast<uint64_t>(h[i] - '0');
      if (v > kMaxCount) throw Error("npy: '" + path + "' declares an absurd shape");
    }
    if (v && nonzero > kMaxCount / v) throw Error("npy: '" + path + "' declares an absurd shape");
    nonzero *= std::max<uint64_t>(v, 1);
    out.count *= v;
    if (out.shape.size() == kNpyMaxDims)
      throw Error("npy: '" + path + "' declares more than " + std::to_string(kNpyMaxDims) + " dimensions");
    out.shape.push_back(static_cast<int64_t>(v));
  }
  return out;
}

}  // namespace

at::Tensor read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("npy: cannot open '" + path + "'");
  in.seekg(0, std::ios::end);
  const std::streamoff file_size = in.tellg();
  in.seekg(0);
  char magic[8];
  if (file_size < 10 || !in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    throw Error("npy: '" + path + "' is not a NumPy .npy file (bad magic)");
  const int major = static_cast<unsigned char>(magic[6]);
  uint32_t header_len = 0;
  if (major == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
  } else if (major == 2 || major == 3) {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
  } else {
    throw Error("npy: '" + path + "' has unsupported format version " + std::to_string(major));
  }
  if (!in || header_len > 65536 || static_cast<std::streamoff>(header_len) > file_size)
    throw Error("npy: '" + path + "' has a truncated or oversized header");
  std::string header(header_len, '\0');
  if (!in.read(&header[0], header_len)) throw Error("npy: '" + path + "' has a truncated header");

  const NpyHeader h = parse_header(header, path);
  size_t item = 0;
  at::ScalarType type;
  if (h.descr == "<f4" || h.descr == "=f4") { item = 4; type = at::kFloat; }
  else if (h.descr == "<f8" || h.descr == "=f8") { item = 8; type = at::kDouble; }
  else throw Error("npy: '" + path + "' has dtype " + h.descr + "; accepted: <f4 (float32), <f8 (float64)");
  if (h.fortran_order) throw Error("npy: '" + path + "' is in Fortran order; save it in C order");
  const uint64_t count = h.count;
  const std::streamoff data_start = in.tellg();
  if (static_cast<uint64_t>(file_size - data_start) != count * item)
    throw Error("npy: '" + path + "' holds " + std::to_string(file_size - data_start) + " data bytes, its shape needs " +
                std::to_string(count * item) + " (truncated or corrupt)");
  auto out = at::empty(h.shape, at::TensorOptions().dtype(type));
  if (count && !in.read(static_cast<char*>(out.data_ptr()), static_cast<std::streamsize>(count * item)))
    throw Error("npy: '" + path + "' could not be read fully");
  return out.to(at::kFloat);
}

void write_npy(const std::string& path, const at::Tensor& x_in) {
  auto x = x_in.detach().to(at::kCPU, at::kFloat).contiguous();
  std::string shape = "(";
  for (int64_t i = 0; i < x.dim(); ++i) shape += std::to_string(x.size(i)) + (x.dim() == 1 || i + 1 < x.dim() ? "," : "");
  shape += ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>((header.size() >> 8) & 0xff);
  bytes += header;
  bytes.append(static_cast<const char*>(x.data_ptr()), x.numel() * sizeof(float));
  write_file_atomically(path, bytes);
}

}  // namespace scorekit
