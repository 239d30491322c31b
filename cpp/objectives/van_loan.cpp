#include "objectives/van_loan.hpp"

#include <unsupported/Eigen/MatrixFunctions>

namespace scorekit {

LinearGaussianStep van_loan_step(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::MatrixXd& Q, double h) {
  const Eigen::Index d = A.rows();
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(2 * d, 2 * d);
  M.topLeftCorner(d, d) = -A * h;
  M.topRightCorner(d, d) = Q * h;
  M.bottomRightCorner(d, d) = A.transpose() * h;
  const Eigen::MatrixXd E = M.exp();

  Eigen::MatrixXd N = Eigen::MatrixXd::Zero(d + 1, d + 1);
  N.topLeftCorner(d, d) = A * h;
  N.topRightCorner(d, 1) = b * h;
  const Eigen::MatrixXd En = N.exp();

  LinearGaussianStep out;
  out.transition = En.topLeftCorner(d, d);
  out.mean_offset = En.topRightCorner(d, 1);
  const Eigen::MatrixXd M22 = E.bottomRightCorner(d, d);
  out.cov = M22.transpose() * E.topRightCorner(d, d);
  out.cov = 0.5 * (out.cov + out.cov.transpose()).eval();  // symmetric up to rounding
  return out;
}

}  // namespace scorekit
