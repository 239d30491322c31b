#pragma once
// Reference marginals of a 1-D forward SDE dx = f(x,t) dt + g(t) dW: the Fokker–Planck equation
// ∂p/∂t = −∂x[f p − ½g² ∂x p] solved by finite volumes on [lo, hi] with zero-flux walls.
// Interface fluxes use the Scharfetter–Gummel (exponentially fitted) scheme, which stays positive
// and upwinds itself where drift dominates; time steps are Crank–Nicolson after two implicit-Euler
// start-up steps that damp CN's oscillation on rough initial data. Each column of the tridiagonal
// operator sums to zero, so total mass is conserved to rounding.
#include <ATen/ATen.h>
#include <Eigen/Dense>

#include "sde/sde.hpp"

namespace scorekit {

class FokkerPlanck1d {
 public:
  // The SDE must act on (N, 1) tensors (a 1-D SDE, or any element-wise SDE, coordinate-wise).
  FokkerPlanck1d(const Sde& sde, double lo, double hi, int64_t cells);

  const Eigen::VectorXd& centres() const { return x_; }
  double dx() const { return dx_; }
  // Sets the density (values at cell centres; renormalised to mass 1) at time t.
  void set_density(const Eigen::VectorXd& p, double t);
  // Advances to t1 in `steps` equal steps.
  void advance_to(double t1, int64_t steps);

  const Eigen::VectorXd& density() const { return p_; }
  double time() const { return t_; }
  double mass() const { return p_.sum() * dx_; }
  // d/dx log p at the cell centres (central differences of log p).
  Eigen::VectorXd score() const;

 private:
  // Tridiagonal operator A(t): dp/dt = A p. Sub-, main and super-diagonals.
  void operator_at(double t, Eigen::VectorXd& lower, Eigen::VectorXd& diag, Eigen::VectorXd& upper) const;
  void step(double dt, double theta);  // theta = 1: implicit Euler, ½: Crank–Nicolson
  const Sde& sde_;
  double lo_, hi_, dx_;
  Eigen::VectorXd x_, p_;
  double t_ = 0;
  int64_t steps_taken_ = 0;
};

}  // namespace scorekit
