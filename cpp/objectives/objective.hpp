#pragma once
// One interface for every score-matching objective. An objective draws t, noise and projections
// only from the generator it is given, so a seed fixes a whole training run.
#include <ATen/ATen.h>

#include <map>
#include <memory>

#include "models/score_model.hpp"
#include "objectives/path_pool.hpp"
#include "objectives/time_sampling.hpp"
#include "sde/sde.hpp"

namespace scorekit {

struct LossOutput {
  at::Tensor loss;                             // scalar, differentiable w.r.t. the model
  std::map<std::string, double> diagnostics;   // cheap extras for the metrics line
};

class Objective {
 public:
  virtual ~Objective() = default;
  virtual std::string name() const = 0;
  virtual Json spec() const = 0;
  // Objectives that need the closed-form kernel p(x_t | x_0) refuse non-affine SDEs. The default
  // reads the registry row of name() (objectives/registry.hpp); unregistered objectives say true.
  virtual bool needs_affine_sde() const;
  // Checks that this objective can train on `sde` (check_compatible) and replaces every "auto"
  // option by its value for that SDE, so that spec() then states what runs. An unbound objective
  // resolves "auto" at each loss() call instead.
  virtual void bind(const Sde& sde);
  // The loss on a batch x0 of clean data. Every draw (t, noise, probes, and the model's dropout
  // masks) comes from `gen`, so a seed fixes the value.
  LossOutput loss(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen);
  // What each objective implements; loss() wraps it with the dropout scope.
  virtual LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) = 0;

  // The time distribution, shared by every objective (objectives/time_sampling.hpp). make_objective
  // reads "time_sampling" from the spec and sets it; full_spec() writes it back.
  const TimeSampling& time_sampling() const { return time_sampling_; }
  void set_time_sampling(TimeSampling ts) { time_sampling_ = std::move(ts); }
  // How inputs are drawn on a nonlinear SDE (objectives/path_pool.hpp); affine SDEs never use it.
  // make_objective reads "path_pool" from the spec; full_spec() writes it back when not the default.
  const PathPoolOptions& path_pool() const { return pool_.options(); }
  void set_path_pool(PathPoolOptions options) { pool_ = PathPool(options); }
  // The pool itself, whose state checkpoints carry (train/trainer_checkpoint.cpp).
  PathPool& pool() { return pool_; }
  // spec() plus "time_sampling" and "path_pool" when not the defaults: rebuilds this objective
  // through make_objective.
  Json full_spec() const;

 protected:
  // Hides the free sample_times below inside every objective's members, so each loss draws its
  // times from the chosen distribution without naming it.
  at::Tensor sample_times(const Sde& sde, int64_t n, at::Generator& gen, const at::TensorOptions& opts) const {
    return time_sampling_.draw(sde, n, gen, opts);
  }
  // x_t ~ p_t given clean data x0 and times t (B): the closed-form kernel on affine SDEs; on the
  // others the path pool (or, with "path_pool": false, a fresh simulation from x0).
  at::Tensor draw_marginal(const Sde& sde, const at::Tensor& x0, const at::Tensor& t, at::Generator& gen);

 private:
  TimeSampling time_sampling_;
  PathPool pool_;
};

using ObjectivePtr = std::shared_ptr<Objective>;

ObjectivePtr make_objective(const Json& spec);
std::vector<std::string> objective_names();
// Throws a clear Error when `objective` cannot train on `sde`.
void check_compatible(const Objective& objective, const Sde& sde);

// λ(t) multiplying the squared score error: "sigma2" (σ_t², the ε-matching weight; affine SDEs only),
// "g2_integral" (∫_0^t g², which is σ_t² on VE and agrees with σ_t² to first order at small t on every
// SDE), "likelihood" (g(t)², Song et al. 2021b), "none", "edm", or "auto": sigma2 on affine SDEs,
// g2_integral on the others. A weight ∝ σ_t² at small t keeps the per-sample loss O(d) there, where
// ‖s‖² ~ d/σ_t². "edm" is EDM's λ(σ) = (σ² + σ_d²)/(σ σ_d)² on the denoiser error ‖D − x₀‖² (Karras
// et al. 2022, table 1; σ_d = sigma_data, 0.5 as in EDM). In the σ view, D − x₀ = alpha σ̃² (s − ∇log
// p(x_t | x₀)), so on the score error this weight is alpha² σ̃⁴ λ(σ̃); with EDM preconditioning
// λ = 1/c_out², the unit weight on the network's own regression target.
class Weighting {
 public:
  explicit Weighting(std::string kind = "auto", double sigma_data = 0.5);
  at::Tensor operator()(const Sde& sde, const at::Tensor& t) const;  // (B)
  // The same, reusing the affine SDE's marginal at t where the loss has it already.
  at::Tensor operator()(const Sde& sde, const at::Tensor& t, const AffineMarginal& m) const;
  // "auto" replaced by the default for `sde`; an explicit "sigma2" on a nonlinear SDE throws.
  Weighting resolved(const Sde& sde) const;
  const std::string& kind() const { return kind_; }
  static std::vector<std::string> kinds() { return {"auto", "sigma2", "g2_integral", "likelihood", "none", "edm"}; }

 private:
  std::string kind_;
  double sigma_data_;
};

// t ~ U(eps, T) per sample, drawn from `gen` (objectives use their own TimeSampling instead).
at::Tensor sample_times(const Sde& sde, int64_t n, at::Generator& gen, const at::TensorOptions& opts);

}  // namespace scorekit
