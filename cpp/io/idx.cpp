#include "io/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "util/error.hpp"

namespace scorekit {

namespace {

// Larger than any data set this library trains on; bounds what a hostile gzip stream can inflate to.
constexpr uint64_t kMaxBytes = uint64_t(4) << 30;

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("idx: cannot open '" + path + "'");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Inflates a complete gzip member; a stream that ends early or fails its CRC is an Error.
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& in, const std::string& path) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error("idx: zlib could not start inflating '" + path + "'");
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  std::vector<uint8_t> out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out.size() >= kMaxBytes) {
      inflateEnd(&zs);
      throw Error("idx: '" + path + "' inflates to more than 4 GiB; refusing it");
    }
    const size_t chunk = std::max<size_t>(1 << 20, out.size());
    const size_t old = out.size();
    out.resize(old + chunk);
    zs.next_out = out.data() + old;
    zs.avail_out = static_cast<uInt>(chunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + chunk - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // input exhausted before the stream ended
  }
  const std::string msg = zs.msg ? zs.msg : "";
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    throw Error("idx: '" + path + "' is not a valid gzip stream (" +
                (rc == Z_BUF_ERROR ? std::string("truncated") : msg.empty() ? "zlib error " + std::to_string(rc) : msg) + ")");
  return out;
}

uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }

}  // namespace

at::Tensor parse_idx(const std::vector<uint8_t>& b, const std::string& what) {
  if (b.size() < 4 || b[0] != 0 || b[1] != 0)
    throw Error("idx: '" + what + "' is not an IDX file (bad magic; expected 00 00 <type> <ndims>)");
  size_t item = 0;
  at::ScalarType type;
  switch (b[2]) {
    case 0x08: item = 1; type = at::kByte; break;
    case 0x09: item = 1; type = at::kChar; break;
    case 0x0B: item = 2; type = at::kShort; break;
    case 0x0C: item = 4; type = at::kInt; break;
    case 0x0D: item = 4; type = at::kFloat; break;
    case 0x0E: item = 8; type = at::kDouble; break;
    default:
      throw Error("idx: '" + what + "' has unknown type code 0x" + [&] { char s[3]; std::snprintf(s, 3, "%02x", b[2]); return std::string(s); }() +
                  "; accepted: 08 u8, 09 i8, 0B i16, 0C i32, 0D f32, 0E f64");
  }
  const size_t ndims = b[3];
  if (ndims == 0) throw Error("idx: '" + what + "' declares zero dimensions");
  if (b.size() < 4 + 4 * ndims) throw Error("idx: '" + what + "' is truncated inside its header");
  std::vector<int64_t> shape;
  uint64_t count = 1, nonzero = 1;  // bound the nonzero dimensions: a zero would let any others through
  for (size_t i = 0; i < ndims; ++i) {
    const uint64_t d = be32(&b[4 + 4 * i]);
    if (d && nonzero > kMaxBytes / d) throw Error("idx: '" + what + "' declares an absurd shape");
    nonzero *= std::max<uint64_t>(d, 1);
    count *= d;
    shape.push_back(static_cast<int64_t>(d));
  }
  const uint64_t header = 4 + 4 * ndims, need = count * item, have = b.size() - header;
  if (have != need)
    throw Error("idx: '" + what + "' holds " + std::to_string(have) + " data bytes but its dimensions need " +
                std::to_string(need) + (have < need ? " (truncated file)" : " (trailing bytes or wrong dimensions)"));
  auto out = at::empty(shape, at::TensorOptions().dtype(type));
  // An empty tensor has no buffer, and memcpy to null is undefined even for 0 bytes (found by UBSan
  // under tests/c/fuzz, kept in tests/c/fuzz/regressions/idx).
  if (need == 0) return out;
  auto* dst = static_cast<uint8_t*>(out.data_ptr());
  const uint8_t* src = b.data() + header;
  if (item == 1) {
    std::memcpy(dst, src, need);
  } else {
    // IDX is big-endian; swap each item into host (little-endian) order.
    for (uint64_t i = 0; i < count; ++i)
      for (size_t k = 0; k < item; ++k) dst[i * item + k] = src[i * item + item - 1 - k];
  }
  return out;
}

at::Tensor read_idx(const std::string& path) {
  auto bytes = read_file(path);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) bytes = gunzip(bytes, path);
  return parse_idx(bytes, path);
}

}  // namespace scorekit
