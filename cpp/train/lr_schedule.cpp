#include "train/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/spec.hpp"

namespace scorekit {

double LrSchedule::at(int64_t n) const {
  const double warm = warmup > 0 ? std::min(1.0, double(n + 1) / double(warmup)) : 1.0;
  double base = lr;
  if (name == "cosine") {
    const double progress = std::min(double(n), double(decay_steps)) / double(decay_steps);
    base = lr_min + (lr - lr_min) * 0.5 * (1 + std::cos(M_PI * progress));
  } else if (name == "inverse_sqrt") {
    base = lr / std::sqrt(std::max(double(n) / double(decay_steps), 1.0));
  }
  return base * warm;
}

void LrSchedule::validate() const {
  const auto valid = names();
  if (std::find(valid.begin(), valid.end(), name) == valid.end()) unknown_name("train: lr_schedule", name, valid);
  if (warmup < 0) throw Error("train: 'warmup' must be >= 0");
  if (name != "constant" && decay_steps <= 0)
    throw Error("train: lr_schedule '" + name + "' needs 'lr_decay_steps' > 0 (cosine: the steps to reach lr_min; "
                "inverse_sqrt: the step t_ref where the decay begins)");
  if (lr_min < 0 || lr_min > lr) throw Error("train: 'lr_min' must lie in [0, lr]");
}

}  // namespace scorekit
