#pragma once
#include "cli/args.hpp"
#include "util/spec.hpp"

namespace scorekit::cli {

// `scorekit bench --spec JSON [--steps N] [--warmup W]`: seconds per training step of that spec
// (after W warm-up steps), its parameter count and minor page faults per step.
// With --sample SAMPLER_JSON [--n N]: draws N samples from the spec's (untrained) EMA model instead.
Json bench_spec(Args& a);
// `scorekit bench --sgemm N [--reps R]`: GFLOP/s of an N×N float32 matrix product at the set threads.
Json bench_sgemm(Args& a);

}  // namespace scorekit::cli
