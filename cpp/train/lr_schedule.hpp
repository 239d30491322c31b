#pragma once
// Learning-rate schedules, all after a linear warm-up over `warmup` steps (lr·min(1, (n+1)/warmup)):
//   constant      lr
//   cosine        lr_min + (lr − lr_min)·½(1 + cos(π·min(n, T)/T)),  T = lr_decay_steps
//                 (Loshchilov & Hutter 2017, without restarts)
//   inverse_sqrt  lr / sqrt(max(n / t_ref, 1)),  t_ref = lr_decay_steps
//                 (EDM2, Karras et al. 2024, eq. 15, with steps in place of images)
// n counts the steps taken before this one.
#include <cstdint>
#include <string>
#include <vector>

namespace scorekit {

struct LrSchedule {
  std::string name = "constant";
  double lr = 2e-3;
  int64_t warmup = 100;
  int64_t decay_steps = 0;  // cosine: T; inverse_sqrt: t_ref
  double lr_min = 0;        // cosine only
  double at(int64_t n) const;
  void validate() const;  // throws Error naming the bad field
  static std::vector<std::string> names() { return {"constant", "cosine", "inverse_sqrt"}; }
};

}  // namespace scorekit
