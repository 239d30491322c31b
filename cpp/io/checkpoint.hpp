#pragma once
// The checkpoint file: one self-describing cereal (portable binary, little-endian) archive.
//   magic "SCOREKIT" | format version (u32) | payload | FNV-1a 64 checksum of everything before it
// payload: the JSON spec that rebuilds every object, the step count, the generator state and
// named tensors (name, dtype, shape, data). Writes are atomic (temp file, fsync, rename); reads
// check the magic, version and checksum before parsing, and bound every size by the bytes left.
#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace scorekit {

constexpr uint32_t kCheckpointFormat = 1;

struct NamedTensor {
  std::string name;
  at::Tensor value;  // float32, float64, int64 or uint8, on the CPU
};

struct CheckpointData {
  std::string spec_json;
  int64_t step = 0;
  std::string rng_state;  // bytes of the CPU generator state
  std::vector<NamedTensor> tensors;

  const at::Tensor* find(const std::string& name) const;
};

void save_checkpoint(const std::string& path, const CheckpointData& data);
CheckpointData load_checkpoint(const std::string& path);
// Parses checkpoint bytes already in memory (the fuzz harness uses this).
CheckpointData parse_checkpoint(const std::string& bytes, const std::string& origin);

}  // namespace scorekit
