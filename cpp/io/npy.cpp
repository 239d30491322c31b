#include "io/npy.hpp"

#include <cstring>
#include <fstream>
#include <regex>

#include "io/atomic_file.hpp"
#include "util/error.hpp"

namespace scorekit {

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

  std::smatch m;
  if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([^']*)'")))
    throw Error("npy: '" + path + "' header has no descr");
  const std::string descr = m[1];
  size_t item = 0;
  at::ScalarType type;
  if (descr == "<f4" || descr == "=f4") { item = 4; type = at::kFloat; }
  else if (descr == "<f8" || descr == "=f8") { item = 8; type = at::kDouble; }
  else throw Error("npy: '" + path + "' has dtype " + descr + "; accepted: <f4 (float32), <f8 (float64)");
  if (std::regex_search(header, std::regex("'fortran_order'\\s*:\\s*True")))
    throw Error("npy: '" + path + "' is in Fortran order; save it in C order");
  if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)")))
    throw Error("npy: '" + path + "' header has no shape");
  std::vector<int64_t> shape;
  std::string dims = m[1];
  std::regex num("\\d+");
  uint64_t count = 1;
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), num); it != std::sregex_iterator(); ++it) {
    const uint64_t v = std::stoull(it->str());
    if (v > (1ull << 40) || (v && count > (1ull << 40) / v)) throw Error("npy: '" + path + "' declares an absurd shape");
    shape.push_back(static_cast<int64_t>(v));
    count *= v;
  }
  const std::streamoff data_start = in.tellg();
  if (static_cast<uint64_t>(file_size - data_start) != count * item)
    throw Error("npy: '" + path + "' holds " + std::to_string(file_size - data_start) + " data bytes, its shape needs " +
                std::to_string(count * item) + " (truncated or corrupt)");
  auto out = at::empty(shape, at::TensorOptions().dtype(type));
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
