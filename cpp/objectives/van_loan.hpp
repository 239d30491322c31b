#pragma once
// Moments of the constant-coefficient linear SDE dy = (b + A (y − y0)) dτ + G dW over a duration h
// from y0, via Van Loan (1978): exp([[−A, Q], [0, Aᵀ]] h) = [[·, M12], [0, M22]] with Q = G Gᵀ
// gives Σ = M22ᵀ M12; the mean offset b h φ₁(A h) is the top-right column of exp([[A, b], [0, 0]] h),
// which needs no inverse of A (A may be singular).
#include <Eigen/Dense>

namespace scorekit {

struct LinearGaussianStep {
  Eigen::MatrixXd transition;   // F = exp(A h): y − y0 ↦ F (y − y0)
  Eigen::VectorXd mean_offset;  // E[y(h)] − y0 when y(0) = y0
  Eigen::MatrixXd cov;          // Cov[y(h)] when y(0) = y0
};

LinearGaussianStep van_loan_step(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::MatrixXd& Q, double h);

}  // namespace scorekit
