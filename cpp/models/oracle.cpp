#include "models/oracle.hpp"

#include "util/error.hpp"

namespace scorekit {

OracleModel::OracleModel(std::shared_ptr<const GaussianMixture> mixture, SdePtr sde)
    : ScoreModel(std::move(sde), Parameterisation::Score), mixture_(std::move(mixture)) {
  if (!mixture_) throw Error("model 'oracle' needs mixture data (--data mixture:FILE.json)");
  if (!sde_->is_affine()) throw Error("model 'oracle' needs an affine SDE; '" + sde_->name() + "' is nonlinear");
}

at::Tensor OracleModel::forward_raw(const at::Tensor& x, const at::Tensor& t) {
  auto m = sde_->marginal(t);
  return mixture_->score(x, m.alpha, m.sigma);
}

}  // namespace scorekit
