#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Stable target field (Xu et al. 2023), time-conditioned: DSM with the single conditional score
// replaced by its self-normalised importance-weighted average over a reference batch of n clean
// points that includes the sample's own y₁ (stf_target.hpp). The training batch is the pool: row i
// uses itself and the next n−1 rows (cyclically), all i.i.d. draws of p₀, so n ≤ batch. Only the
// first `minibatch` rows (0: all) are perturbed and regressed, as in the reference code, where a
// large reference batch (e.g. 1024) serves a small minibatch (64). n = 1 is exactly DSM on those
// rows with the same draws. Needs the closed-form kernel.
class Stf : public Objective {
 public:
  explicit Stf(const Json& spec);
  std::string name() const override { return "stf"; }
  Json spec() const override {
    return {{"name", "stf"}, {"weighting", weighting_.kind()}, {"reference", n_}, {"minibatch", minibatch_}};
  }
  void bind(const Sde& sde) override {
    Objective::bind(sde);
    weighting_ = weighting_.resolved(sde);
  }
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;

 private:
  Weighting weighting_;
  int64_t n_ = 128;
  int64_t minibatch_ = 0;
};

}  // namespace scorekit
