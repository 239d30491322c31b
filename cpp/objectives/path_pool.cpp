#include "objectives/path_pool.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

PathPoolOptions PathPoolOptions::from_spec(const Json& spec) {
  PathPoolOptions o;
  if (spec.is_boolean()) {
    o.enabled = spec.get<bool>();
    return o;
  }
  if (!spec.is_object())
    throw Error("path_pool: expected true, false or {\"paths\": P, \"advance\": c}, got " + spec.dump());
  SpecReader r(spec, "path_pool");
  o.paths = r.positive_integer("paths", o.paths);
  o.advance = r.positive_integer("advance", o.advance);
  r.finish();
  return o;
}

bool PathPoolOptions::is_default() const {
  const PathPoolOptions d;
  return enabled && paths == d.paths && advance == d.advance;
}

Json PathPoolOptions::to_spec() const {
  if (!enabled) return false;
  if (is_default()) return true;
  return {{"paths", paths}, {"advance", advance}};
}

PathPool::PathPool(PathPoolOptions options) : opts_(options) {
  if (opts_.paths < 1) throw Error("path_pool: \"paths\" must be >= 1");
  if (opts_.advance < 1) throw Error("path_pool: \"advance\" must be >= 1");
}

int64_t PathPool::age_steps(int64_t slot) const {
  return std::min(((slot + rotation_) % groups_) * opts_.advance, steps_);
}

void PathPool::set_grid(const Sde& sde) {
  sde_ = &sde;
  steps_ = sde.simulation_steps();
  h_ = sde.T() / static_cast<double>(steps_);
  groups_ = (steps_ + opts_.advance - 1) / opts_.advance;
}

void PathPool::restore(at::Tensor paths, int64_t rotation) {
  x_ = std::move(paths);
  rotation_ = rotation;
  restored_ = true;
}

void PathPool::fill(const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  set_grid(sde);
  const int64_t B = x0.size(0);
  // m paths per group, at most the batch: each step restarts one group from the batch's x_0.
  const int64_t m = std::max<int64_t>(1, std::min(opts_.paths / groups_, B));
  rotation_ = 0;
  // Start points: the first batch resampled (the only data there is yet), then each slot simulated
  // to its age in one batched run, with steps of at most h.
  auto pick = at::remainder(at::arange(groups_ * m, at::kLong), B).to(x0.device());
  auto start = x0.detach().index_select(0, pick);
  std::vector<double> ages(groups_ * m);
  for (int64_t j = 0; j < groups_; ++j)
    for (int64_t i = 0; i < m; ++i) ages[j * m + i] = age_steps(j) * h_;
  auto end = at::tensor(ages, at::TensorOptions().dtype(at::kDouble)).to(x0.device(), x0.scalar_type());
  const int64_t longest = age_steps(groups_ - 1);
  x_ = longest > 0 ? sde.simulate(start, at::zeros_like(end), end, gen, longest) : start;
}

void PathPool::advance(const Sde& sde, const at::Tensor& x0, at::Generator& gen) {
  const int64_t m = x_.size(0) / groups_;
  std::vector<double> from(x_.size(0)), to(x_.size(0));
  for (int64_t j = 0; j < groups_; ++j) {
    const int64_t a = age_steps(j), b = std::min(a + opts_.advance, steps_);
    for (int64_t i = 0; i < m; ++i) {
      from[j * m + i] = a * h_;
      to[j * m + i] = b * h_;
    }
  }
  auto opts = at::TensorOptions().dtype(at::kDouble);
  auto s = at::tensor(from, opts).to(x_.device(), x_.scalar_type());
  auto t = at::tensor(to, opts).to(x_.device(), x_.scalar_type());
  x_ = sde.simulate(x_, s, t, gen, opts_.advance);
  rotation_ = (rotation_ + 1) % groups_;
  // The slot now at group 0 held the oldest paths, which reached T: restart them from fresh data.
  const int64_t slot = (groups_ - rotation_) % groups_;
  auto pick = at::remainder(at::arange(m, at::kLong), x0.size(0)).to(x0.device());
  x_.slice(0, slot * m, (slot + 1) * m).copy_(x0.detach().index_select(0, pick));
}

at::Tensor PathPool::draw(const Sde& sde, const at::Tensor& x0, const at::Tensor& t, at::Generator& gen) {
  at::NoGradGuard no_grad;
  if (restored_) {  // a checkpoint's paths: kept if they fit this SDE's grid (the data's shape is checked below)
    restored_ = false;
    set_grid(sde);
    const bool fits = x_.defined() && x_.dim() == x0.dim() && x_.size(0) >= groups_ && x_.size(0) % groups_ == 0 &&
                      rotation_ >= 0 && rotation_ < groups_;
    x_ = fits ? x_.to(x0.device(), x0.scalar_type()) : at::Tensor();
  }
  if (!x_.defined() || sde_ != &sde || !x_.sizes().slice(1).equals(x0.sizes().slice(1))) fill(sde, x0, gen);
  const int64_t B = t.size(0), m = x_.size(0) / groups_;
  // The group of each time: the largest age τ_g = g·c·h <= t.
  auto tc = t.detach().to(at::kCPU, at::kDouble).contiguous();
  const double* tp = tc.data_ptr<double>();
  // A random order of each slot's paths, so that the samples of one group take distinct paths.
  auto order = std::get<1>(rand({groups_, m}, gen, at::TensorOptions()).to(at::kCPU).sort(1)).contiguous();
  const int64_t* op = order.data_ptr<int64_t>();
  std::vector<int64_t> rows(B), used(groups_, 0);
  std::vector<double> start(B);
  for (int64_t i = 0; i < B; ++i) {
    const auto group = static_cast<int64_t>(std::floor(tp[i] / (opts_.advance * h_)));
    const int64_t g = std::clamp<int64_t>(group, 0, groups_ - 1);
    const int64_t slot = ((g - rotation_) % groups_ + groups_) % groups_;
    rows[i] = slot * m + op[slot * m + (used[g]++ % m)];
    start[i] = std::min(static_cast<double>(age_steps(slot)) * h_, tp[i]);
  }
  auto from = x_.index_select(0, at::tensor(rows, at::kLong).to(x_.device()));
  auto s = at::tensor(start, at::TensorOptions().dtype(at::kDouble)).to(t.options().dtype()).to(t.device());
  auto out = sde.simulate(from, s, t.detach(), gen, opts_.advance);
  advance(sde, x0, gen);
  return out;
}

}  // namespace scorekit
