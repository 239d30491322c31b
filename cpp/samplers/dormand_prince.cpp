#include "samplers/dormand_prince.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"

namespace scorekit {

namespace {

// The Dormand–Prince tableau: nodes, stages, 5th-order weights and the embedded error weights.
constexpr double kC[6] = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1};
constexpr double kA[6][5] = {{0, 0, 0, 0, 0},
                             {1.0 / 5, 0, 0, 0, 0},
                             {3.0 / 40, 9.0 / 40, 0, 0, 0},
                             {44.0 / 45, -56.0 / 15, 32.0 / 9, 0, 0},
                             {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729, 0},
                             {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656}};
constexpr double kB[6] = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84};
constexpr double kE[7] = {-71.0 / 57600, 0, 71.0 / 16695, -71.0 / 1920, 17253.0 / 339200, -22.0 / 525, 1.0 / 40};

double rms(const at::Tensor& x) { return x.pow(2).mean().sqrt().item<double>(); }

}  // namespace

OdeSolution dormand_prince(const OdeFn& fn, const at::Tensor& y0, double t0, double t1,
                           const DormandPrinceOptions& o, const ProgressFn& progress) {
  if (!(o.rtol > 0) || !(o.atol > 0)) throw Error("RK45: rtol and atol must be > 0");
  if (o.max_steps <= 0) throw Error("RK45: max_steps must be positive");
  OdeSolution out;
  auto f = [&](double t, const at::Tensor& y) {
    ++out.nfe;
    return fn(t, y);
  };
  const double span = std::fabs(t1 - t0), dir = t1 >= t0 ? 1.0 : -1.0;
  if (span == 0) return {y0, 0, 0, 0};
  at::Tensor y = y0, k1 = f(t0, y);

  // Initial step (Hairer et al., II.4): a step whose Euler error is about the tolerance.
  double h;
  {
    auto scale = o.atol + y.abs() * o.rtol;
    const double d0 = rms(y / scale), d1 = rms(k1 / scale);
    const double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    auto k = f(t0 + dir * h0, y + dir * h0 * k1);
    const double d2 = rms((k - k1) / scale) / h0;
    const double h1 = std::max(d1, d2) <= 1e-15 ? std::max(1e-6, h0 * 1e-3) : std::pow(0.01 / std::max(d1, d2), 0.2);
    h = std::min({100 * h0, h1, span});
  }

  double t = t0;
  bool last_rejected = false;
  at::Tensor k[7];
  while (dir * (t1 - t) > 0) {
    if (out.accepted + out.rejected >= o.max_steps)
      throw Error("RK45: gave up after " + std::to_string(o.max_steps) + " steps at t = " + std::to_string(t) +
                  " (tolerances too tight, or the vector field is not finite)");
    h = std::min(h, dir * (t1 - t));
    if (h < 1e-14 * std::max(1.0, std::fabs(t))) throw Error("RK45: the step size underflowed at t = " + std::to_string(t));
    const double hs = dir * h;
    k[0] = k1;
    for (int s = 1; s < 6; ++s) {
      at::Tensor dy = k[0] * (kA[s][0] * hs);
      for (int j = 1; j < s; ++j)
        if (kA[s][j] != 0) dy = dy + k[j] * (kA[s][j] * hs);
      k[s] = f(t + kC[s] * hs, y + dy);
    }
    at::Tensor y_new = y.clone();
    for (int s = 0; s < 6; ++s)
      if (kB[s] != 0) y_new = y_new + k[s] * (kB[s] * hs);
    k[6] = f(t + hs, y_new);
    at::Tensor err = k[0] * (kE[0] * hs);
    for (int s = 1; s < 7; ++s)
      if (kE[s] != 0) err = err + k[s] * (kE[s] * hs);
    const double norm = rms(err / (o.atol + at::maximum(y.abs(), y_new.abs()) * o.rtol));
    if (!std::isfinite(norm)) throw Error("RK45: the state became NaN or Inf at t = " + std::to_string(t));
    if (norm <= 1) {
      t = (std::fabs(t1 - (t + hs)) <= 1e-12 * std::max(1.0, std::fabs(t1))) ? t1 : t + hs;
      y = y_new;
      k1 = k[6];  // first same as last
      ++out.accepted;
      double factor = norm == 0 ? 10 : std::min(10.0, 0.9 * std::pow(norm, -0.2));
      if (last_rejected) factor = std::min(1.0, factor);
      h *= factor;
      last_rejected = false;
      report(progress, static_cast<int64_t>(std::llround(1000 * std::fabs(t - t0) / span)), 1000);
    } else {
      ++out.rejected;
      h *= std::max(0.2, 0.9 * std::pow(norm, -0.2));
      last_rejected = true;
    }
  }
  out.y = y;
  return out;
}

}  // namespace scorekit
