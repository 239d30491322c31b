#pragma once
// Noise schedules: the decreasing noise levels σ_0 > σ_1 > ... > σ_{n−1} that a σ-space sampler
// visits (k-diffusion's get_sigmas_*). Each is a plain function; NoiseSchedule picks one by name
// from a sampler spec. The samplers append σ_n = 0 themselves when they denoise.
#include <string>
#include <vector>

#include "samplers/sigma_view.hpp"
#include "util/spec.hpp"

namespace scorekit {

// Karras et al. 2022, eq. 5: σ_i = (σ_max^{1/ρ} + i/(n−1) (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ.
std::vector<double> karras_sigmas(int64_t n, double sigma_min, double sigma_max, double rho);
// Geometric: log σ evenly spaced from log σ_max to log σ_min (NCSN's ladder).
std::vector<double> exponential_sigmas(int64_t n, double sigma_min, double sigma_max);
// The VP SDE's noise levels at evenly spaced t from 1 to eps_s: σ(t) = √(exp(β_d t²/2 + β_min t) − 1)
// (Song et al. 2021; k-diffusion's get_sigmas_vp, defaults β_d = 19.9, β_min = 0.1, eps_s = 1e-3).
std::vector<double> vp_sigmas(int64_t n, double beta_d, double beta_min, double eps_s);
// The SDE's own σ̃(t) at evenly spaced t from T to eps: the score-SDE samplers' grid in σ.
std::vector<double> uniform_time_sigmas(int64_t n, const SigmaView& view);

// The schedule registry: one row per name; names(), the command line's help text and the "valid: …"
// errors come from it. A new schedule is a row here and its σ's in NoiseSchedule::sigmas.
struct NoiseScheduleEntry {
  const char* name;
  const char* summary;  // one line for help text
};
const std::vector<NoiseScheduleEntry>& noise_schedule_table();

// A schedule named in a sampler spec: "schedule": "karras" | "exponential" | "vp" | "uniform", with
// "rho" (karras, default 7), "beta_d", "beta_min", "eps_s" (vp), and for karras and exponential
// "sigma_min", "sigma_max" (0: the SDE's σ̃(eps), σ̃(T)). Only the keys of the chosen schedule are read.
class NoiseSchedule {
 public:
  NoiseSchedule() = default;  // karras, ρ = 7, over the SDE's whole range
  NoiseSchedule(SpecReader& r, const std::string& sampler, const std::string& default_name);
  // n levels from the largest to the smallest (n ≥ 1).
  std::vector<double> sigmas(int64_t n, const SigmaView& view) const;
  void write(Json& spec) const;  // adds this schedule's keys to a sampler's spec
  const std::string& name() const { return name_; }
  static std::vector<std::string> names();  // from noise_schedule_table()

 private:
  std::string sampler_, name_ = "karras";
  double rho_ = 7, sigma_min_ = 0, sigma_max_ = 0;
  double beta_d_ = 19.9, beta_min_ = 0.1, eps_s_ = 1e-3;
};

}  // namespace scorekit
