#pragma once
// Adaptive Dormand–Prince RK5(4) with FSAL and the step-size control of Hairer, Nørsett & Wanner
// (as in scipy's RK45). The whole batch shares one step size: the error norm is the RMS over every
// element, so one stiff sample slows all of them down, exactly as the score-SDE reference does.
#include <ATen/ATen.h>

#include <functional>

#include "util/progress.hpp"

namespace scorekit {

using OdeFn = std::function<at::Tensor(double t, const at::Tensor& y)>;

struct OdeSolution {
  at::Tensor y;           // the state at t1
  int64_t nfe = 0;        // calls of f
  int64_t accepted = 0;   // accepted steps
  int64_t rejected = 0;   // rejected step attempts
};

struct DormandPrinceOptions {
  double rtol = 1e-5;
  double atol = 1e-5;
  int64_t max_steps = 100000;  // accepted + rejected attempts before giving up
};

// Integrates dy/dt = f(t, y) from t0 to t1 (either direction). Progress is reported in thousandths
// of the interval covered. Throws Error on non-positive tolerances, a non-finite state or when
// max_steps is exceeded.
OdeSolution dormand_prince(const OdeFn& f, const at::Tensor& y0, double t0, double t1,
                           const DormandPrinceOptions& options, const ProgressFn& progress = nullptr);


}  // namespace scorekit
