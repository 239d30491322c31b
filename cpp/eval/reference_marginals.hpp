#pragma once
// True marginals p_t of a factorised data law pushed through an element-wise SDE: p_t factorises
// into the same 1-D law on each coordinate, which a Fokker–Planck solve (eval/fokker_planck.hpp)
// gives on a fine grid. From it: exact draws x_t ~ p_t (inverse CDF per coordinate) and the score
// error of a model against the reference score.
#include <functional>
#include <vector>

#include "eval/fokker_planck.hpp"
#include "models/score_model.hpp"

namespace scorekit {

struct ScoreError {
  double mse = 0;       // E_t E_{p_t} ‖s_θ − s_ref‖² / d
  double relative = 0;  // mse / (E_t E_{p_t} ‖s_ref‖² / d)
};

class ReferenceMarginals {
 public:
  // p0: the 1-D data density at t = 0 evaluated at grid points; times ascending in (0, T].
  ReferenceMarginals(const Sde& sde, const std::function<double(double)>& p0, double lo, double hi, int64_t cells,
                     std::vector<double> times, int64_t steps_per_unit_time = 4000);
  const std::vector<double>& times() const { return times_; }
  // n draws of x_{times[k]} with `dim` coordinates, (n, dim) float.
  at::Tensor sample(size_t k, int64_t n, int64_t dim, at::Generator& gen) const;
  at::Tensor score(size_t k, const at::Tensor& x) const;  // reference ∇log p_t, shape of x
  const Eigen::VectorXd& density(size_t k) const { return densities_[k]; }
  // Averaged over the stored times, n draws each.
  ScoreError score_error(ScoreModel& model, int64_t n, int64_t dim, at::Generator& gen) const;

 private:
  std::vector<double> times_;
  Eigen::VectorXd x_;
  double lo_, dx_;
  std::vector<Eigen::VectorXd> densities_, scores_;
};

}  // namespace scorekit
