// libFuzzer harness for the checkpoint reader (scorekit::parse_checkpoint, the code every load runs).
// Each input is parsed twice: as given (exercising magic, version and checksum checks), and with
// its last 8 bytes replaced by the correct checksum, so mutations reach the payload parser instead
// of dying at the checksum. The only acceptable failure is a CheckpointError; anything else (another
// exception, a crash, an ASan report, a huge allocation) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/checkpoint.hpp"
#include "util/error.hpp"

namespace {

uint64_t fnv1a(const char* data, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

void parse(const std::string& bytes) {
  try {
    auto ck = scorekit::parse_checkpoint(bytes, "fuzz");
    // Touch every parsed tensor so ASan sees any buffer that does not match its shape.
    double sum = 0;
    for (const auto& t : ck.tensors) {
      const auto* p = static_cast<const unsigned char*>(t.value.data_ptr());
      for (size_t i = 0; i < t.value.nbytes(); ++i) sum += p[i];
    }
    if (sum < 0) __builtin_trap();
  } catch (const scorekit::CheckpointError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  parse(bytes);
  if (size >= 8) {
    const uint64_t sum = fnv1a(bytes.data(), size - 8);
    for (int i = 0; i < 8; ++i) bytes[size - 8 + i] = static_cast<char>((sum >> (8 * i)) & 0xff);
    parse(bytes);
  }
  return 0;
}
