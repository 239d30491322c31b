#pragma once
// Forward processes dx = f(x,t) dt + g(t) dW on t in [0, T]. Affine SDEs also give the exact
// marginal x_t = alpha(t) x_0 + sigma(t) z, which DSM-style objectives and the mixture truth need.
#include <ATen/ATen.h>

#include <memory>
#include <string>

#include "util/spec.hpp"

namespace scorekit {

struct AffineMarginal {
  at::Tensor alpha;  // (B) mean coefficient
  at::Tensor sigma;  // (B) standard deviation
};

class Sde {
 public:
  virtual ~Sde() = default;
  virtual std::string name() const = 0;
  virtual Json spec() const = 0;  // rebuilds an identical SDE through make_sde
  virtual bool is_affine() const = 0;

  double T() const { return 1.0; }
  double eps() const { return eps_; }  // smallest time used in training and sampling

  virtual at::Tensor drift(const at::Tensor& x, const at::Tensor& t) const = 0;  // f(x,t), shape of x
  virtual at::Tensor diffusion(const at::Tensor& t) const = 0;                      // g(t), (B)
  // ∫_s^t g(τ)² dτ, elementwise on (B) tensors.
  virtual at::Tensor g2_integral(const at::Tensor& s, const at::Tensor& t) const = 0;

  // Exact marginal of x_t given x_0; throws Error for non-affine SDEs.
  virtual AffineMarginal marginal(const at::Tensor& t) const;

  virtual at::Tensor prior_sample(at::IntArrayRef shape, at::Generator& gen) const = 0;
  virtual at::Tensor prior_log_prob(const at::Tensor& x) const = 0;  // (B), summed over dims

  // Draws x_t ~ p(x_t | x_0) (affine: closed form); returns {x_t, noise z}.
  virtual std::pair<at::Tensor, at::Tensor> perturb(const at::Tensor& x0, const at::Tensor& t,
                                                    at::Generator& gen) const;

 protected:
  double eps_ = 1e-3;
};

using SdePtr = std::shared_ptr<const Sde>;

// Builds an SDE from {"name": "vp", ...}; unknown names or keys list the valid ones.
SdePtr make_sde(const Json& spec);
std::vector<std::string> sde_names();

// log N(x; 0, std² I) summed over all but the first dimension.
at::Tensor gaussian_log_prob(const at::Tensor& x, double std);

}  // namespace scorekit
