#pragma once
// Forward processes dx = f(x,t) dt + g(t) dW on t in [0, T]. Affine SDEs also give the exact
// marginal x_t = alpha(t) x_0 + sigma(t) z, which DSM-style objectives and the mixture truth need.
// T = 1 for every SDE but edm, whose time is its noise level (T = sigma_max).
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

  double T() const { return T_; }     // the end of the time range (the prior's time)
  double eps() const { return eps_; }  // smallest time used in training and sampling

  virtual at::Tensor drift(const at::Tensor& x, const at::Tensor& t) const = 0;  // f(x,t), shape of x
  virtual at::Tensor diffusion(const at::Tensor& t) const = 0;                      // g(t), (B)
  // ∫_s^t g(τ)² dτ, elementwise on (B) tensors.
  virtual at::Tensor g2_integral(const at::Tensor& s, const at::Tensor& t) const = 0;

  // Exact marginal of x_t given x_0; throws Error for non-affine SDEs.
  virtual AffineMarginal marginal(const at::Tensor& t) const;

  virtual at::Tensor prior_sample(at::IntArrayRef shape, at::Generator& gen) const = 0;
  virtual at::Tensor prior_log_prob(const at::Tensor& x) const = 0;  // (B), summed over dims

  // Draws x_t ~ p(x_t | x_0) (affine: closed form); returns {x_t, noise z}. Non-affine SDEs
  // simulate the forward SDE instead and return an undefined z (no single noise draw exists).
  virtual std::pair<at::Tensor, at::Tensor> perturb(const at::Tensor& x0, const at::Tensor& t,
                                                    at::Generator& gen) const;

  // ∂f_i/∂x_i, shape of x. Every built-in drift is element-wise, so this is the whole Jacobian;
  // an SDE with a coupled drift overrides drift_jvp as well and returns false from
  // drift_is_elementwise. The default differentiates drift() by autograd (exact when element-wise).
  virtual at::Tensor drift_jacobian_diagonal(const at::Tensor& x, const at::Tensor& t) const;
  // J_f(x,t) v; the default is exact for element-wise drifts.
  virtual at::Tensor drift_jvp(const at::Tensor& x, const at::Tensor& t, const at::Tensor& v) const;
  virtual bool drift_is_elementwise() const { return true; }

  // x_t from x_s by Euler–Maruyama with simulation_steps() steps (per-sample s, t of shape (B),
  // s <= t). Used to draw training inputs for SDEs without a closed-form kernel.
  at::Tensor simulate(const at::Tensor& xs, const at::Tensor& s, const at::Tensor& t, at::Generator& gen) const {
    return simulate(xs, s, t, gen, simulation_steps());
  }
  // The same with `steps` equal steps of (t − s)/steps per sample (objectives/path_pool.hpp).
  at::Tensor simulate(const at::Tensor& xs, const at::Tensor& s, const at::Tensor& t, at::Generator& gen,
                      int64_t steps) const;
  virtual int64_t simulation_steps() const { return 100; }

  // The start s <= t with ∫_s^t g² = lambda (0 where ∫_0^t g² < lambda), elementwise on (B).
  // The default bisects g2_integral; SDEs with an invertible closed form override it.
  virtual at::Tensor g2_integral_start(const at::Tensor& t, double lambda) const;

 protected:
  double eps_ = 1e-3;
  double T_ = 1.0;
};

using SdePtr = std::shared_ptr<const Sde>;

// The SDE registry: one row per name (sde/registry.cpp); names, help and errors derive from it.
struct SdeEntry {
  const char* name;
  SdePtr (*make)(const Json& spec);
  const char* summary;  // one line for help text
};
const std::vector<SdeEntry>& sde_table();

// Builds an SDE from {"name": "vp", ...}; unknown names or keys list the valid ones.
SdePtr make_sde(const Json& spec);
std::vector<std::string> sde_names();

// log N(x; 0, std² I) summed over all but the first dimension.
at::Tensor gaussian_log_prob(const at::Tensor& x, double std);

}  // namespace scorekit
