#pragma once
// The score model a command works with: `--checkpoint PATH`, or the exact oracle
// `--model oracle --data mixture:FILE.json [--sde NAME]` (default SDE: vp); `--device cpu|cuda[:N]`
// places a checkpoint's model (default: where it was trained).
#include "cli/args.hpp"
#include "train/scorer.hpp"

namespace scorekit::cli {
Scorer scorer_from_args(Args& args);
}  // namespace scorekit::cli
