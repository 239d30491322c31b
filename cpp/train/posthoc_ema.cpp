#include "train/posthoc_ema.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/error.hpp"

namespace scorekit {

double gamma_to_sigma_rel(double gamma) {
  return std::sqrt((gamma + 1) / ((gamma + 2) * (gamma + 2) * (gamma + 3)));
}

double sigma_rel_to_gamma(double sigma_rel) {
  // σ_rel(γ) decreases for γ >= 0 from sqrt(1/12) at γ = 0; EMAs longer than that are refused.
  if (!(sigma_rel > 0) || !(sigma_rel < std::sqrt(1.0 / 12.0)))
    throw Error("EMA: sigma_rel must lie in (0, 0.2887), got " + std::to_string(sigma_rel));
  // Newton on the cubic from the right of its largest root: f is increasing and convex there, so
  // the iterates fall monotonically onto that root.
  const double s = 1 / (sigma_rel * sigma_rel);
  auto f = [&](double g) { return ((g + 7) * g + 16 - s) * g + 12 - s; };
  auto df = [&](double g) { return (3 * g + 14) * g + 16 - s; };
  double g = std::max(1.0, s);
  for (int i = 0; i < 200; ++i) {
    const double step = f(g) / df(g);
    g -= step;
    if (std::abs(step) <= 1e-14 * std::max(1.0, std::abs(g))) break;
  }
  if (!(g > -1)) throw Error("EMA: sigma_rel " + std::to_string(sigma_rel) + " has no power-function EMA (gamma <= -1)");
  return g;
}

double power_ema_beta(double gamma, int64_t t) {
  if (t <= 1) return 0;
  return std::pow(1 - 1 / double(t), gamma + 1);
}

double profile_dot(const EmaProfile& a, const EmaProfile& b) {
  // (γa+1)(γb+1) min(ta,tb)^(γa+γb+1) / ((γa+γb+1) ta^(γa+1) tb^(γb+1)), written with the ratio of
  // the times so that no power overflows (as EDM2's p_dot_p).
  const double ta = double(a.t), tb = double(b.t);
  const double ratio = ta / tb;
  const double exponent = ta < tb ? b.gamma : -a.gamma;
  const double num = (a.gamma + 1) * (b.gamma + 1) * std::pow(ratio, exponent);
  const double den = (a.gamma + b.gamma + 1) * std::max(ta, tb);
  return num / den;
}

std::vector<double> posthoc_ema_coefficients(const std::vector<EmaProfile>& in, const EmaProfile& out) {
  const auto n = static_cast<Eigen::Index>(in.size());
  if (n == 0) throw Error("post-hoc EMA: no snapshots to reconstruct from");
  Eigen::MatrixXd A(n, n);
  Eigen::VectorXd b(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) A(i, j) = profile_dot(in[i], in[j]);
    b(i) = profile_dot(in[i], out);
  }
  Eigen::VectorXd x = A.colPivHouseholderQr().solve(b);
  if (!x.allFinite()) throw Error("post-hoc EMA: the snapshot system is singular");
  return std::vector<double>(x.data(), x.data() + n);
}

}  // namespace scorekit
