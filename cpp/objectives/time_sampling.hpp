#pragma once
// How an objective draws its training times t, one per sample, from the generator it is given.
//  uniform:    t ~ U(eps, T), the score-SDE default (Song et al. 2021).
//  log_normal: EDM's noise distribution (Karras et al. 2022, table 1): ln σ ~ N(p_mean, p_std²)
//              with p_mean = −1.2, p_std = 1.2, where σ is the SDE's noise level in its σ view
//              σ̃(t) = sigma(t)/alpha(t) (t = σ on the edm SDE), and t = t(σ̃) clamped to [eps, T].
//              Needs an affine SDE.
// In a spec: "time_sampling": "log_normal" or {"name": "log_normal", "p_mean": -1.2, "p_std": 1.2};
// every objective accepts it (objectives/registry.cpp hands it to the Objective base).
#include <ATen/ATen.h>

#include "sde/sde.hpp"
#include "util/spec.hpp"

namespace scorekit {

class TimeSampling {
 public:
  TimeSampling() = default;  // uniform
  explicit TimeSampling(const Json& spec);  // a name or {"name": ..., ...}
  Json spec() const;
  bool is_uniform() const { return kind_ == "uniform"; }
  // (n) times in [eps, T] with the dtype/device of `opts`.
  at::Tensor draw(const Sde& sde, int64_t n, at::Generator& gen, const at::TensorOptions& opts) const;
  static std::vector<std::string> kinds() { return {"uniform", "log_normal"}; }

 private:
  std::string kind_ = "uniform";
  double p_mean_ = -1.2, p_std_ = 1.2;
};

}  // namespace scorekit
