#pragma once
// A time-conditioned score network. Whatever the network predicts internally (the score, the
// noise ε, a score scaled by 1/σ_t, or EDM's preconditioned denoiser), score() returns
// ∇x log p_t(x): the conversion lives here.
#include <torch/nn/module.h>

#include <memory>

#include "models/shared_dropout.hpp"
#include "sde/sde.hpp"
#include "util/spec.hpp"

namespace scorekit {

// edm: the network is F in D(x̃; σ) = c_skip x̃ + c_out F(c_in x̃; c_noise), see models/edm.hpp.
enum class Parameterisation { Score, Noise, Scaled, Edm };
Parameterisation parse_parameterisation(const std::string& name);
std::string to_string(Parameterisation p);

class ScoreModel : public torch::nn::Module {
 public:
  ScoreModel(SdePtr sde, Parameterisation p) : sde_(std::move(sde)), param_(p) {}
  // x: (B, ...sample_shape), t: (B) → score with the shape of x. `copies` > 1 says that x is that
  // many stacked copies of one batch (possibly moved apart), whose rows share dropout masks.
  at::Tensor score(const at::Tensor& x, const at::Tensor& t, int64_t copies = 1);
  // Where dropout masks come from; Objective::loss points it at the run's generator.
  DropoutDraws& dropout_draws() { return *dropout_draws_; }
  virtual Json spec() const = 0;
  virtual std::vector<int64_t> sample_shape() const = 0;
  // False for models without trainable weights (the analytic oracle).
  virtual bool trainable() const { return true; }
  const SdePtr& sde() const { return sde_; }
  at::Device device() const;

 protected:
  // The network itself. `t` is the time, except under edm, where the network sees c_in x̃ and
  // is conditioned on c_noise = ln(σ)/4 instead (EDM's choice; σ and t are in bijection).
  virtual at::Tensor forward_raw(const at::Tensor& x, const at::Tensor& t) = 0;
  SdePtr sde_;
  Parameterisation param_;
  double sigma_data_ = 0.5;  // EDM's data standard deviation; 0.5 suits images in [−1, 1]
  // Shared with every SharedDropout of the network, which reads the generator and copy count from it.
  std::shared_ptr<DropoutDraws> dropout_draws_ = std::make_shared<DropoutDraws>();
};

using ModelPtr = std::shared_ptr<ScoreModel>;

// Builds a model from {"name": "mlp", ...}; `data_dim` fixes the input size.
ModelPtr make_model(const Json& spec, SdePtr sde, const std::vector<int64_t>& sample_shape);
std::vector<std::string> model_names();

}  // namespace scorekit
