#pragma once
#include "cli/args.hpp"
#include "util/spec.hpp"

namespace scorekit::cli {

// `scorekit bench --cifar [--device cuda[:N]] [--batch 128] [--steps 10] [--channels 128] [--side 32]
// [--stf-n 4096] [--sample-n 64] [--sample-steps 50] [--out FILE.json]`: images/s and peak memory
// of DSM, LCSS, FD-SSM, SSM and STF (reference n) on a DDPM-CIFAR-layout U-Net, then sampling rates.
Json bench_device(Args& a);

}  // namespace scorekit::cli
