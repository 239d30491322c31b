#pragma once
// A pool of forward-SDE paths that amortises the simulation a nonlinear SDE needs for every
// training input. Without it each x_t (local-DSM's y_s) is simulated from x_0 with the SDE's n
// Euler–Maruyama steps: n sequential steps per training step, which on small data costs far more
// than the network (docs/nonlinear.md, "Amortised forward simulation").
//
// The pool holds P paths staggered in age on the SDE's simulation grid h = T/n: G = ⌈n/c⌉ groups of
// P/G paths at ages 0, c, 2c, … steps (c = "advance"). A draw at time t takes a path from the group
// whose age τ is the largest ≤ t (distinct paths for the samples of one group, while it has enough)
// and simulates the rest, t − τ < c·h, with c steps. Then every path advances c steps, and the group
// that reaches T restarts from the batch's fresh x_0 (P/G of them per step). A training step costs
// 2c sequential steps instead of n.
//
// What it changes: every draw is still an Euler–Maruyama sample of p_t with step ≤ h (as a fresh
// simulation's is at T; at small t a fresh simulation's steps are finer, t/n). The pool adds
// dependence, not marginal bias: one path serves G consecutive training steps at increasing ages,
// and for the first G steps the paths start from the first batch's samples (resampled). The paths
// and their rotation go into checkpoints (state_paths, restore), so a resumed run is bit-identical.
#include <ATen/ATen.h>

#include "sde/sde.hpp"
#include "util/spec.hpp"

namespace scorekit {

struct PathPoolOptions {
  bool enabled = true;   // false: simulate every input from x_0 (n steps per training step)
  int64_t paths = 1024;  // P; capped at G × the batch, so that a step's restarts come from its batch
  int64_t advance = 8;   // c, the steps every path advances per training step
  // true | false | {"paths": 1024, "advance": 8}
  static PathPoolOptions from_spec(const Json& spec);
  Json to_spec() const;  // true when the defaults, false when off, else the object
  bool is_default() const;
};

class PathPool {
 public:
  explicit PathPool(PathPoolOptions options = {});
  // x_t ~ p_t for each row, t (B) in [0, T]: drawn from the pool (filled from x0 on the first call),
  // after which the pool advances and restarts its oldest group from x0 (B, ...).
  at::Tensor draw(const Sde& sde, const at::Tensor& x0, const at::Tensor& t, at::Generator& gen);
  const PathPoolOptions& options() const { return opts_; }
  int64_t paths() const { return x_.defined() ? x_.size(0) : 0; }  // 0 before the first draw
  int64_t groups() const { return groups_; }
  // The pool's state for a checkpoint: the paths (undefined before the first draw) and the rotation.
  const at::Tensor& state_paths() const { return x_; }
  int64_t state_rotation() const { return rotation_; }
  // Takes back a saved state; the next draw binds it to the SDE's grid, or refills the pool when the
  // state does not fit that grid or the data's shape.
  void restore(at::Tensor paths, int64_t rotation);

 private:
  void set_grid(const Sde& sde);  // steps_, h_, groups_ for this SDE and the options
  void fill(const Sde& sde, const at::Tensor& x0, at::Generator& gen);
  void advance(const Sde& sde, const at::Tensor& x0, at::Generator& gen);
  int64_t age_steps(int64_t slot) const;  // the age of the paths in `slot`, in simulation steps

  PathPoolOptions opts_;
  at::Tensor x_;          // (P, ...): slot j holds rows [j·m, (j+1)·m), m = P/G
  int64_t steps_ = 0;     // n, the SDE's simulation steps over [0, T]
  int64_t groups_ = 0;    // G
  int64_t rotation_ = 0;  // advances so far, mod G: slot j's group is (j + rotation_) mod G
  double h_ = 0;          // T/n
  const Sde* sde_ = nullptr;  // the SDE the pool was filled for
  bool restored_ = false;     // x_ came from a checkpoint and is not yet bound to an SDE
};

}  // namespace scorekit
