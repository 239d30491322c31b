#pragma once
// The reverse-time process of an SDE under a score model (Song et al. 2021, eqs. 6 and 13), written
// once for every sampler and for the likelihood: the reverse SDE dx = [f − g² s] dt + g dW̄ and its
// probability-flow ODE dx/dt = f − ½ g² s.
#include "models/score_model.hpp"

namespace scorekit {

// f(x,t) − ½ g(t)² s(x,t), per-sample times t (B): the probability-flow velocity.
at::Tensor probability_flow(ScoreModel& model, const Sde& sde, const at::Tensor& x, const at::Tensor& t);

// How a reverse step from t0 down to t1 < t0 spreads the noise G² of the step:
//  euler_maruyama:    G² = g(t0)² (t0 − t1)  (first order in Δt);
//  reverse_diffusion: G² = ∫_{t1}^{t0} g²    (Song et al. 2021 App. E: exact noise for VE, where it
//                     is σ_0² − σ_1², the SMLD ladder).
enum class ReverseNoise { EulerMaruyama, ReverseDiffusion };

struct ReverseStep {
  at::Tensor mean;       // x − f(x,t0) Δt + G² s(x,t0)
  at::Tensor noise_std;  // G, shaped to broadcast against x
};

class ReverseProcess {
 public:
  ReverseProcess(ScoreModel& model, const Sde& sde) : model_(model), sde_(sde) {}
  // One step of the reverse SDE from t0 to t1 (one NFE); add noise_std · z for the stochastic step.
  ReverseStep step(const at::Tensor& x, double t0, double t1, ReverseNoise noise);
  // The probability-flow velocity at one time for the whole batch (one NFE).
  at::Tensor velocity(const at::Tensor& x, double t);
  // s(x, t) (one NFE).
  at::Tensor score(const at::Tensor& x, double t);
  int64_t nfe() const { return nfe_; }
  const Sde& sde() const { return sde_; }

 private:
  at::Tensor times(const at::Tensor& x, double t) const;
  ScoreModel& model_;
  const Sde& sde_;
  int64_t nfe_ = 0;
};

}  // namespace scorekit
