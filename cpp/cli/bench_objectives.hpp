#pragma once
#include "util/spec.hpp"

namespace scorekit::cli {

// `scorekit bench --objectives`: time per training step of every registered objective on the same
// MLP, batch and data (a Gaussian mixture at d = 2 and d = 100), with the ratio to DSM.
Json bench_objectives(bool quick);

}  // namespace scorekit::cli
