#pragma once
// The sliced form of Hyvärinen's objective shared by SSM, SSM-VR and ISM-Hutchinson: on x_t ~ p_t,
// per sample  norm + vᵀ∇s v  averaged over n probes v with E[v vᵀ] = I, where norm is ½(vᵀs)²
// (SSM) or ½‖s‖² (the variance-reduced form). Both have expectation ½‖s‖² + tr ∇s.
#include "models/score_model.hpp"

namespace scorekit {

struct SlicedOptions {
  std::string probes;        // a probe_kinds() name
  int64_t n = 1;             // probes per sample
  bool projected_norm = false;  // true: ½(vᵀs)² (SSM); false: ½‖s‖²
};

// Per-sample values (B), unweighted. x_t is detached from the data; the n probes are evaluated in
// one forward pass over the batch repeated n times.
at::Tensor sliced_score_matching(ScoreModel& model, const at::Tensor& xt, const at::Tensor& t,
                                 at::Generator& gen, const SlicedOptions& opts);

}  // namespace scorekit
