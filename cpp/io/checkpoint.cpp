#include "io/checkpoint.hpp"

#include <cereal/archives/portable_binary.hpp>

#include <cstring>
#include <fstream>
#include <sstream>

#include "io/atomic_file.hpp"
#include "util/error.hpp"
#include "util/error_text.hpp"
#include "util/fnv1a.hpp"

namespace scorekit {

namespace {

const char kMagic[8] = {'S', 'C', 'O', 'R', 'E', 'K', 'I', 'T'};
constexpr uint32_t kMaxDims = 8;

uint8_t dtype_code(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return 0;
    case at::kDouble: return 1;
    case at::kLong: return 2;
    case at::kByte: return 3;
    default: throw CheckpointError(std::string("checkpoint: cannot store tensors of type ") + at::toString(t));
  }
}

at::ScalarType dtype_of(uint8_t code, const std::string& origin) {
  switch (code) {
    case 0: return at::kFloat;
    case 1: return at::kDouble;
    case 2: return at::kLong;
    case 3: return at::kByte;
    default: throw CheckpointError("checkpoint '" + origin + "': unknown tensor type code " + std::to_string(code));
  }
}

// Reads sizes and byte runs with every length bounded by what is left in the payload.
class BoundedReader {
 public:
  BoundedReader(std::istream& in, size_t size, std::string origin)
      : in_(in), archive_(in), size_(size), origin_(std::move(origin)) {}
  template <class T>
  T value() {
    need(sizeof(T));
    T v{};
    archive_(v);
    return v;
  }
  std::string bytes() {
    const uint64_t n = value<uint64_t>();
    need(n);
    std::string s(n, '\0');
    if (n) archive_(cereal::binary_data(&s[0], n));
    return s;
  }
  template <class T>
  void elements(T* data, uint64_t count) {
    if (count > remaining() / sizeof(T)) fail("a tensor is larger than the file");
    // Pass a pointer prvalue: given the lvalue `data`, cereal would deduce a reference type and
    // byte-swap in pointer-sized (8-byte) units past the end of a 4-byte element buffer.
    if (count) archive_(cereal::binary_data(static_cast<T*>(data), count * sizeof(T)));
  }
  size_t remaining() { return size_ - static_cast<size_t>(in_.tellg()); }
  [[noreturn]] void fail(const std::string& why) { throw CheckpointError("checkpoint '" + origin_ + "' is corrupt: " + why); }

 private:
  void need(uint64_t n) {
    if (n > remaining()) fail("a field runs past the end of the file");
  }
  std::istream& in_;
  cereal::PortableBinaryInputArchive archive_;
  size_t size_;
  std::string origin_;
};

template <class T>
void write_elements(cereal::PortableBinaryOutputArchive& ar, const at::Tensor& t) {
  ar(cereal::binary_data(t.data_ptr<T>(), static_cast<size_t>(t.numel()) * sizeof(T)));
}

CheckpointData parse_payload(std::istream& is, size_t body, const std::string& origin);

}  // namespace

const at::Tensor* CheckpointData::find(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t.value;
  return nullptr;
}

void save_checkpoint(const std::string& path, const CheckpointData& data) {
  std::ostringstream os(std::ios::binary);
  os.write(kMagic, sizeof kMagic);
  for (int i = 0; i < 4; ++i) os.put(static_cast<char>((kCheckpointFormat >> (8 * i)) & 0xff));
  {
    // Little-endian on every host (cereal's default is the host's order); writes a one-byte tag.
    cereal::PortableBinaryOutputArchive ar(os, cereal::PortableBinaryOutputArchive::Options::LittleEndian());
    auto put_bytes = [&](const std::string& s) {
      ar(static_cast<uint64_t>(s.size()));
      if (!s.empty()) ar(cereal::binary_data(s.data(), s.size()));
    };
    put_bytes(data.spec_json);
    ar(static_cast<int64_t>(data.step));
    put_bytes(data.rng_state);
    ar(static_cast<uint64_t>(data.tensors.size()));
    for (const auto& nt : data.tensors) {
      auto t = nt.value.detach().cpu().contiguous();
      put_bytes(nt.name);
      ar(dtype_code(t.scalar_type()), static_cast<uint32_t>(t.dim()));
      for (int64_t i = 0; i < t.dim(); ++i) ar(static_cast<int64_t>(t.size(i)));
      switch (t.scalar_type()) {
        case at::kFloat: write_elements<float>(ar, t); break;
        case at::kDouble: write_elements<double>(ar, t); break;
        case at::kLong: write_elements<int64_t>(ar, t); break;
        default: write_elements<uint8_t>(ar, t); break;
      }
    }
  }
  std::string bytes = os.str();
  const uint64_t sum = fnv1a(bytes.data(), bytes.size());
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((sum >> (8 * i)) & 0xff);
  write_file_atomically(path, bytes);
}

CheckpointData parse_checkpoint(const std::string& bytes, const std::string& origin) {
  const std::string where = "checkpoint '" + origin + "'";
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw CheckpointError(where + " is not a scorekit checkpoint (bad magic)");
  if (bytes.size() < sizeof kMagic + 4 + 8) throw CheckpointError(where + " is truncated");
  uint32_t version = 0;
  for (int i = 0; i < 4; ++i) version |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  if (version > kCheckpointFormat)
    throw CheckpointError(where + " has format version " + std::to_string(version) + ", newer than this build reads (" +
                std::to_string(kCheckpointFormat) + "); upgrade scorekit");
  if (version == 0) throw CheckpointError(where + " has an invalid format version 0");
  const size_t body = bytes.size() - 8;
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[body + i])) << (8 * i);
  if (stored != fnv1a(bytes.data(), body))
    throw CheckpointError(where + " fails its checksum: the file is truncated or corrupted");

  // scorekit writes little-endian payloads only (cereal's one-byte endianness tag follows the
  // header); anything else is damage, not a foreign byte order to convert.
  if (body <= sizeof kMagic + 4 || bytes[sizeof kMagic + 4] != 1)
    throw CheckpointError(where + " is corrupt: its payload is not tagged little-endian");
  std::istringstream is(bytes.substr(0, body), std::ios::binary);
  is.seekg(sizeof kMagic + 4);
  try {
    return parse_payload(is, body, origin);
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::exception& e) {
    throw CheckpointError(where + " is corrupt: " + error_text(e));
  }
}

namespace {
CheckpointData parse_payload(std::istream& is, size_t body, const std::string& origin) {
  BoundedReader r(is, body, origin);
  CheckpointData out;
  out.spec_json = r.bytes();
  out.step = r.value<int64_t>();
  if (out.step < 0) r.fail("negative step count");
  out.rng_state = r.bytes();
  const uint64_t count = r.value<uint64_t>();
  if (count > r.remaining()) r.fail("tensor count larger than the file");
  for (uint64_t k = 0; k < count; ++k) {
    NamedTensor nt;
    nt.name = r.bytes();
    const auto type = dtype_of(r.value<uint8_t>(), origin);
    const uint32_t ndim = r.value<uint32_t>();
    if (ndim > kMaxDims) r.fail("tensor '" + nt.name + "' has " + std::to_string(ndim) + " dimensions");
    std::vector<int64_t> shape;
    uint64_t numel = 1;
    for (uint32_t i = 0; i < ndim; ++i) {
      const int64_t s = r.value<int64_t>();
      if (s < 0 || static_cast<uint64_t>(s) > r.remaining()) r.fail("tensor '" + nt.name + "' has an impossible shape");
      numel *= static_cast<uint64_t>(s);
      if (numel > r.remaining()) r.fail("tensor '" + nt.name + "' is larger than the file");
      shape.push_back(s);
    }
    nt.value = at::empty(shape, at::TensorOptions().dtype(type));
    switch (type) {
      case at::kFloat: r.elements(nt.value.data_ptr<float>(), numel); break;
      case at::kDouble: r.elements(nt.value.data_ptr<double>(), numel); break;
      case at::kLong: r.elements(nt.value.data_ptr<int64_t>(), numel); break;
      default: r.elements(nt.value.data_ptr<uint8_t>(), numel); break;
    }
    out.tensors.push_back(std::move(nt));
  }
  if (r.remaining() != 0) r.fail("trailing bytes after the last tensor");
  return out;
}
}  // namespace

CheckpointData load_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("checkpoint: cannot open '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_checkpoint(ss.str(), path);
}

}  // namespace scorekit
