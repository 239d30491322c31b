#pragma once
// The variance-exploding view of an affine SDE (Karras et al. 2022, eq. 4 with s(t) = alpha(t)):
// x̃ = x / alpha(t) is the data plus Gaussian noise of std σ̃(t) = sigma(t) / alpha(t), for VE
// (alpha ≡ 1, σ̃ = sigma), VP (σ̃ = sqrt(1/alpha² − 1)) and sub-VP alike. Samplers that step in σ
// (EDM, annealed Langevin) work on x̃ and query the model at t(σ̃), found by bisection because
// σ̃(t) increases on [eps, T]. The score in x̃ is alpha(t) s(alpha(t) x̃, t).
#include "models/score_model.hpp"

namespace scorekit {

class SigmaView {
 public:
  SigmaView(ScoreModel& model, const Sde& sde, const std::string& sampler);  // throws if not affine
  double sigma_min() const { return sigma_min_; }  // σ̃(eps)
  double sigma_max() const { return sigma_max_; }  // σ̃(T)
  double t_of(double sigma) const;                  // the t in [eps, T] with σ̃(t) = sigma (clamped)
  double sigma_at(double t) const;                  // σ̃(t)
  double alpha_at(double t) const;
  double t_min() const { return sde_.eps(); }
  double t_max() const { return sde_.T(); }
  // ∇_x̃ log p̃(x̃; σ̃) and the denoiser D(x̃; σ̃) = x̃ + σ̃² ∇ log p̃ = E[x_0 | x̃] (Tweedie).
  at::Tensor score(const at::Tensor& xs, double sigma);
  at::Tensor denoise(const at::Tensor& xs, double sigma);
  int64_t nfe() const { return nfe_; }

 private:
  ScoreModel& model_;
  const Sde& sde_;
  double sigma_min_, sigma_max_;
  int64_t nfe_ = 0;
};

}  // namespace scorekit
