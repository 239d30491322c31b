#pragma once
// One interface for every score-matching objective. An objective draws t, noise and projections
// only from the generator it is given, so a seed fixes a whole training run.
#include <ATen/ATen.h>

#include <map>
#include <memory>

#include "models/score_model.hpp"
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
  // Objectives that need the closed-form kernel p(x_t | x_0) refuse non-affine SDEs.
  virtual bool needs_affine_sde() const { return true; }
  virtual LossOutput loss(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) = 0;
};

using ObjectivePtr = std::shared_ptr<Objective>;

ObjectivePtr make_objective(const Json& spec);
std::vector<std::string> objective_names();
// Throws a clear Error when `objective` cannot train on `sde`.
void check_compatible(const Objective& objective, const Sde& sde);

// λ(t): "sigma2" (σ_t², the ε-matching weight), "likelihood" (g(t)², Song et al. 2021b), "none".
class Weighting {
 public:
  explicit Weighting(std::string kind = "sigma2");
  at::Tensor operator()(const Sde& sde, const at::Tensor& t) const;  // (B)
  const std::string& kind() const { return kind_; }
  static std::vector<std::string> kinds() { return {"sigma2", "likelihood", "none"}; }

 private:
  std::string kind_;
};

// t ~ U(eps, T) per sample, drawn from `gen`.
at::Tensor sample_times(const Sde& sde, int64_t n, at::Generator& gen, const at::TensorOptions& opts);

}  // namespace scorekit
