#include "train/ema_schedule.hpp"

#include <algorithm>
#include <cmath>

#include "train/posthoc_ema.hpp"
#include "util/error.hpp"
#include "util/spec.hpp"

namespace scorekit {

double EmaSchedule::at(int64_t n) const {
  if (name == "warmup") return std::min(decay, 1 - std::pow(1 + double(n) / warmup_gamma, -warmup_power));
  if (name == "half_life") {
    double images = half_life_images;
    if (rampup_ratio > 0) images = std::min(images, double(n) * double(batch) * rampup_ratio);
    return std::pow(0.5, double(batch) / std::max(images, 1e-8));
  }
  if (name == "power") return power_ema_beta(sigma_rel_to_gamma(sigma_rel), n + 1);
  return decay;
}

void EmaSchedule::validate() const {
  const auto valid = names();
  if (std::find(valid.begin(), valid.end(), name) == valid.end()) unknown_name("train: ema_schedule", name, valid);
  if (decay < 0 || decay >= 1) throw Error("train: 'ema_decay' must be in [0, 1)");
  if (!(warmup_gamma > 0)) throw Error("train: 'ema_warmup_gamma' must be positive");
  if (!(warmup_power > 0)) throw Error("train: 'ema_warmup_power' must be positive");
  if (!(half_life_images > 0)) throw Error("train: 'ema_half_life_images' must be positive");
  if (rampup_ratio < 0) throw Error("train: 'ema_rampup_ratio' must be >= 0 (0: no ramp-up)");
  sigma_rel_to_gamma(sigma_rel);  // throws outside the valid range
}

}  // namespace scorekit
