#pragma once
#include "objectives/objective.hpp"

namespace scorekit {

// Stable target field (Xu et al. 2023), time-conditioned: DSM with the single conditional score
// replaced by its self-normalised importance-weighted average over a reference batch of n clean
// points that includes the sample's own y₁ (stf_target.hpp). The micro-batch a loss sees is the
// pool: row i uses itself and the next n−1 rows (cyclically), all i.i.d. draws of p₀, so
// n ≤ micro-batch. Only the first `minibatch` rows (0: all) are perturbed and regressed, as in the
// reference code, where a large reference batch (e.g. 1024) serves a small minibatch (64). n = 1
// is exactly DSM on those rows with the same draws. Needs the closed-form kernel.
struct StfOptions {
  std::string weighting = "auto";  // Weighting::kinds()
  int64_t reference = 128;         // n, the reference batch, own point included
  int64_t minibatch = 0;           // rows regressed; 0: the whole micro-batch
  static StfOptions from_spec(const Json& spec);
  Json to_spec() const;  // {"name": "stf", ...every option}
};

class Stf : public Objective {
 public:
  explicit Stf(StfOptions options = {});
  explicit Stf(const Json& spec) : Stf(StfOptions::from_spec(spec)) {}
  std::string name() const override { return "stf"; }
  Json spec() const override { return opts_.to_spec(); }
  void bind(const Sde& sde) override;
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override;
  const StfOptions& options() const { return opts_; }

 private:
  StfOptions opts_;
};

}  // namespace scorekit
