#pragma once
#include "cli/args.hpp"
#include "util/spec.hpp"

namespace scorekit::cli {

// `scorekit bench --images`: training images/s of DSM, LCSS, FD-SSM, SSM and STF (reference
// n = batch, 1024, 4096) on one U-Net at batch 32 and 64, with the ratio to DSM and the peak
// memory of each. Every configuration runs in a fresh child process (this executable, `--child 1`), so its
// resident-set high-water mark belongs to it alone.
// With --bpd CHECKPOINT [--n N] [--probes K] [--tol T]: the checkpoint's bits/dim on the first N
// Fashion-MNIST test images (uniform dequantisation, PF-ODE likelihood, Hutchinson divergence).
Json bench_images(Args& a, bool quick);

}  // namespace scorekit::cli
