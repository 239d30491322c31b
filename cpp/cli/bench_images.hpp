#pragma once
#include "cli/args.hpp"
#include "util/spec.hpp"

namespace scorekit::cli {

// `scorekit bench --images`: training images/s of DSM, LCSS, FD-SSM, SSM and STF (reference
// n = 1024, 4096) on one U-Net at batch 32 and 64, with the ratio to DSM and the peak memory of
// each. Every configuration runs in a fresh child process (this executable, `--child 1`), so its
// resident-set high-water mark belongs to it alone.
Json bench_images(Args& a, bool quick);

}  // namespace scorekit::cli
