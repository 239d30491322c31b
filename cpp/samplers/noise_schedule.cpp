#include "samplers/noise_schedule.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"

namespace scorekit {

namespace {
// i/(n−1), with a single level at the start.
double fraction(int64_t i, int64_t n) { return n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1); }
}  // namespace

std::vector<double> karras_sigmas(int64_t n, double sigma_min, double sigma_max, double rho) {
  std::vector<double> s(n);
  const double a = std::pow(sigma_max, 1 / rho), b = std::pow(sigma_min, 1 / rho);
  for (int64_t i = 0; i < n; ++i) s[i] = std::pow(a + fraction(i, n) * (b - a), rho);
  return s;
}

std::vector<double> exponential_sigmas(int64_t n, double sigma_min, double sigma_max) {
  std::vector<double> s(n);
  const double a = std::log(sigma_max), b = std::log(sigma_min);
  for (int64_t i = 0; i < n; ++i) s[i] = std::exp(a + fraction(i, n) * (b - a));
  return s;
}

std::vector<double> vp_sigmas(int64_t n, double beta_d, double beta_min, double eps_s) {
  std::vector<double> s(n);
  for (int64_t i = 0; i < n; ++i) {
    const double t = 1 + fraction(i, n) * (eps_s - 1);
    s[i] = std::sqrt(std::expm1(beta_d * t * t / 2 + beta_min * t));
  }
  return s;
}

std::vector<double> uniform_time_sigmas(int64_t n, const SigmaView& view) {
  std::vector<double> s(n);
  const double T = view.t_max(), eps = view.t_min();
  for (int64_t i = 0; i < n; ++i) s[i] = view.sigma_at(T + fraction(i, n) * (eps - T));
  return s;
}

const std::vector<NoiseScheduleEntry>& noise_schedule_table() {
  static const std::vector<NoiseScheduleEntry> table = {
      {"karras", "Karras et al. 2022: σ^{1/ρ} evenly spaced (\"rho\" 7), the σ-space samplers' default"},
      {"exponential", "log σ evenly spaced (NCSN's geometric ladder)"},
      {"vp", "the VP SDE's σ(t) at evenly spaced t (k-diffusion's get_sigmas_vp)"},
      {"uniform", "the SDE's own σ̃(t) at evenly spaced t from T to eps (the score-SDE grid)"},
  };
  return table;
}

std::vector<std::string> NoiseSchedule::names() {
  std::vector<std::string> out;
  for (const auto& e : noise_schedule_table()) out.emplace_back(e.name);
  return out;
}

NoiseSchedule::NoiseSchedule(SpecReader& r, const std::string& sampler, const std::string& default_name)
    : sampler_(sampler), name_(r.choice("schedule", default_name, names())) {
  const std::string what = "sampler '" + sampler_ + "'";
  if (name_ == "karras") rho_ = r.positive("rho", 7.0);
  if (name_ == "karras" || name_ == "exponential") {
    sigma_min_ = r.number("sigma_min", 0.0);
    sigma_max_ = r.number("sigma_max", 0.0);
    if (sigma_min_ < 0 || sigma_max_ < 0) throw Error(what + ": sigma_min and sigma_max must be >= 0 (0: the SDE's range)");
    if (sigma_min_ > 0 && sigma_max_ > 0 && sigma_max_ <= sigma_min_) throw Error(what + ": sigma_max must exceed sigma_min");
  }
  if (name_ == "vp") {
    beta_d_ = r.positive("beta_d", 19.9);
    beta_min_ = r.positive("beta_min", 0.1);
    eps_s_ = r.positive("eps_s", 1e-3);
    if (eps_s_ >= 1) throw Error(what + ": eps_s must be in (0, 1)");
  }
}

std::vector<double> NoiseSchedule::sigmas(int64_t n, const SigmaView& view) const {
  if (name_ == "vp") return vp_sigmas(n, beta_d_, beta_min_, eps_s_);
  if (name_ == "uniform") return uniform_time_sigmas(n, view);
  const double smax = sigma_max_ > 0 ? std::min(sigma_max_, view.sigma_max()) : view.sigma_max();
  const double smin = sigma_min_ > 0 ? std::max(sigma_min_, view.sigma_min()) : view.sigma_min();
  if (!(smax > smin))
    throw Error("sampler '" + sampler_ + "': empty σ range [" + std::to_string(smin) + ", " + std::to_string(smax) + "]");
  return name_ == "karras" ? karras_sigmas(n, smin, smax, rho_) : exponential_sigmas(n, smin, smax);
}

void NoiseSchedule::write(Json& spec) const {
  spec["schedule"] = name_;
  if (name_ == "karras") spec["rho"] = rho_;
  if (name_ == "karras" || name_ == "exponential") {
    spec["sigma_min"] = sigma_min_;
    spec["sigma_max"] = sigma_max_;
  }
  if (name_ == "vp") {
    spec["beta_d"] = beta_d_;
    spec["beta_min"] = beta_min_;
    spec["eps_s"] = eps_s_;
  }
}

}  // namespace scorekit
