#pragma once
// What this build of scorekit runs on: versions, CUDA, BLAS and threads, as one JSON object
// (`scorekit info`, sk_build_info).
#include <nlohmann/json.hpp>

namespace scorekit {
nlohmann::json build_info();
}  // namespace scorekit
