#pragma once
// FNV-1a, 64 bits: the checksum of checkpoint files and the key of cached reference features.
#include <cstddef>
#include <cstdint>
#include <string>

namespace scorekit {

inline uint64_t fnv1a(const char* data, size_t n, uint64_t h = 1469598103934665603ull) {
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}
inline uint64_t fnv1a(const std::string& bytes, uint64_t h = 1469598103934665603ull) {
  return fnv1a(bytes.data(), bytes.size(), h);
}

}  // namespace scorekit
