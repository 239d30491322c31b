#pragma once
// Numbered periodic checkpoints (<stem>-<step>.skc beside the run's checkpoint) of which only the
// newest few are kept, as --keep-last N asks.
#include <cstdint>
#include <string>

namespace scorekit {

// "runs/a/checkpoint.skc", 500 → "runs/a/checkpoint-00000500.skc"
std::string numbered_checkpoint_path(const std::string& path, int64_t step);
// Deletes all but the `keep` newest numbered checkpoints of `path` (by step); returns how many went.
int prune_numbered_checkpoints(const std::string& path, int64_t keep);

}  // namespace scorekit
