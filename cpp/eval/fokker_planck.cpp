#include "eval/fokker_planck.hpp"

#include <cmath>

#include "util/error.hpp"

namespace scorekit {

namespace {

// Bernoulli function z / (e^z − 1), 1 at z = 0.
double bernoulli(double z) {
  if (std::abs(z) < 1e-10) return 1.0 - 0.5 * z;
  return z / std::expm1(z);
}

// Solves a tridiagonal system (Thomas algorithm); the matrices here are diagonally dominant.
Eigen::VectorXd solve_tridiagonal(const Eigen::VectorXd& a, const Eigen::VectorXd& b, const Eigen::VectorXd& c,
                                  Eigen::VectorXd d) {
  const Eigen::Index n = b.size();
  Eigen::VectorXd cp(n);
  double denom = b(0);
  cp(0) = c(0) / denom;
  d(0) /= denom;
  for (Eigen::Index i = 1; i < n; ++i) {
    denom = b(i) - a(i) * cp(i - 1);
    cp(i) = c(i) / denom;
    d(i) = (d(i) - a(i) * d(i - 1)) / denom;
  }
  for (Eigen::Index i = n - 2; i >= 0; --i) d(i) -= cp(i) * d(i + 1);
  return d;
}

}  // namespace

FokkerPlanck1d::FokkerPlanck1d(const Sde& sde, double lo, double hi, int64_t cells)
    : sde_(sde), lo_(lo), hi_(hi), dx_((hi - lo) / cells) {
  if (!(hi > lo) || cells < 3) throw Error("Fokker–Planck: need hi > lo and at least 3 cells");
  x_ = Eigen::VectorXd::LinSpaced(cells, lo + 0.5 * dx_, hi - 0.5 * dx_);
  p_ = Eigen::VectorXd::Zero(cells);
}

void FokkerPlanck1d::set_density(const Eigen::VectorXd& p, double t) {
  if (p.size() != x_.size()) throw Error("Fokker–Planck: density has the wrong size");
  p_ = p / (p.sum() * dx_);
  t_ = t;
  steps_taken_ = 0;
}

void FokkerPlanck1d::operator_at(double t, Eigen::VectorXd& lower, Eigen::VectorXd& diag, Eigen::VectorXd& upper) const {
  const Eigen::Index n = x_.size();
  auto dbl = at::TensorOptions().dtype(at::kDouble);
  // Drift at the n − 1 interior interfaces.
  auto xi = at::linspace(lo_ + dx_, hi_ - dx_, n - 1, dbl).reshape({n - 1, 1});
  auto f = sde_.drift(xi, at::full({n - 1}, t, dbl)).reshape({-1}).contiguous();
  const double D = 0.5 * sde_.diffusion(at::full({1}, t, dbl)).pow(2).item<double>();
  const double k = D / (dx_ * dx_);
  const double* fp = f.data_ptr<double>();
  lower = Eigen::VectorXd::Zero(n);
  diag = Eigen::VectorXd::Zero(n);
  upper = Eigen::VectorXd::Zero(n);
  for (Eigen::Index j = 0; j + 1 < n; ++j) {
    // Flux F_{j+½} = (D/dx)[B(−P) p_j − B(P) p_{j+1}], P = f dx / D; it leaves cell j, enters j+1.
    const double P = fp[j] * dx_ / D;
    const double out_j = k * bernoulli(-P), in_j1 = k * bernoulli(P);
    diag(j) -= out_j;
    upper(j) += in_j1;       // row j, column j+1
    lower(j + 1) += out_j;   // row j+1, column j
    diag(j + 1) -= in_j1;
  }
}

void FokkerPlanck1d::step(double dt, double theta) {
  Eigen::VectorXd lo, di, up;
  operator_at(t_ + (theta == 1.0 ? dt : 0.5 * dt), lo, di, up);
  const Eigen::Index n = p_.size();
  // (I − θ dt A) p⁺ = (I + (1 − θ) dt A) p.
  Eigen::VectorXd rhs = p_;
  if (theta < 1.0) {
    const double w = (1 - theta) * dt;
    for (Eigen::Index i = 0; i < n; ++i) {
      double v = di(i) * p_(i);
      if (i > 0) v += lo(i) * p_(i - 1);
      if (i + 1 < n) v += up(i) * p_(i + 1);
      rhs(i) += w * v;
    }
  }
  p_ = solve_tridiagonal(-theta * dt * lo, Eigen::VectorXd::Ones(n) - theta * dt * di, -theta * dt * up, rhs);
  t_ += dt;
}

void FokkerPlanck1d::advance_to(double t1, int64_t steps) {
  if (steps < 1 || t1 < t_) throw Error("Fokker–Planck: advance needs steps >= 1 and a later time");
  const double dt = (t1 - t_) / steps;
  for (int64_t k = 0; k < steps; ++k) {
    if (steps_taken_ < 2) {
      step(0.5 * dt, 1.0);
      step(0.5 * dt, 1.0);
    } else {
      step(dt, 0.5);
    }
    ++steps_taken_;
  }
  t_ = t1;
}

Eigen::VectorXd FokkerPlanck1d::score() const {
  const Eigen::Index n = p_.size();
  Eigen::VectorXd lp = p_.cwiseMax(1e-300).array().log();
  Eigen::VectorXd s(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Index a = std::max<Eigen::Index>(i - 1, 0), b = std::min<Eigen::Index>(i + 1, n - 1);
    s(i) = (lp(b) - lp(a)) / ((b - a) * dx_);
  }
  return s;
}

}  // namespace scorekit
