#pragma once
// The decay β_n of the sampling EMA at step n (n steps taken before it; ema ← β·ema + (1 − β)·θ):
//   constant   β = ema_decay
//   warmup     β = min(ema_decay, 1 − (1 + n/γ)^−p)          k-diffusion's EMAWarmup (γ = inv_gamma)
//   half_life  β = 0.5^(B / max(min(H, r·n·B), 1e-8))         EDM (Karras et al. 2022): a half-life of
//              H images, ramped up over the first images by the ratio r (0: no ramp-up); B = batch
//   power      β = (1 − 1/(n+1))^(γ+1), γ from ema_sigma_rel   EDM2's power-function EMA (2024, eq. 3)
// β_0 = 0 for warmup, half_life and power: the EMA starts as the first weights.
#include <cstdint>
#include <string>
#include <vector>

namespace scorekit {

struct EmaSchedule {
  std::string name = "constant";
  double decay = 0.999;                 // constant; warmup: the cap
  double warmup_gamma = 1.0;            // warmup: γ
  double warmup_power = 2.0 / 3.0;      // warmup: p
  double half_life_images = 500000;     // half_life: H
  double rampup_ratio = 0.05;           // half_life: r
  double sigma_rel = 0.05;              // power: the EMA length relative to training time
  int64_t batch = 256;
  double at(int64_t n) const;
  void validate() const;
  static std::vector<std::string> names() { return {"constant", "warmup", "half_life", "power"}; }
};

}  // namespace scorekit
