#include "eval/reference_marginals.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

ReferenceMarginals::ReferenceMarginals(const Sde& sde, const std::function<double(double)>& p0, double lo, double hi,
                                       int64_t cells, std::vector<double> times, int64_t steps_per_unit_time)
    : times_(std::move(times)), lo_(lo) {
  FokkerPlanck1d fp(sde, lo, hi, cells);
  x_ = fp.centres();
  dx_ = fp.dx();
  Eigen::VectorXd p(cells);
  for (int64_t i = 0; i < cells; ++i) p(i) = p0(x_(i));
  fp.set_density(p, 0.0);
  for (double t : times_) {
    if (t <= fp.time()) throw Error("reference marginals: times must be ascending and positive");
    const auto steps = std::max<int64_t>(1, static_cast<int64_t>(std::ceil((t - fp.time()) * steps_per_unit_time)));
    fp.advance_to(t, steps);
    densities_.push_back(fp.density());
    scores_.push_back(fp.score());
  }
}

at::Tensor ReferenceMarginals::sample(size_t k, int64_t n, int64_t dim, at::Generator& gen) const {
  // Piecewise-constant density per cell: invert its CDF exactly.
  const auto& p = densities_.at(k);
  std::vector<double> cdf(p.size() + 1, 0.0);
  for (Eigen::Index i = 0; i < p.size(); ++i) cdf[i + 1] = cdf[i] + p(i) * dx_;
  for (auto& c : cdf) c /= cdf.back();
  auto dbl = at::TensorOptions().dtype(at::kDouble);
  auto table = at::tensor(cdf, dbl);
  auto u = at::rand({n * dim}, gen, dbl);
  auto hi = at::searchsorted(table, u).clamp(1, p.size());
  auto c0 = table.index_select(0, hi - 1), c1 = table.index_select(0, hi);
  auto w = ((u - c0) / (c1 - c0).clamp_min(1e-300)).clamp(0, 1);
  auto x = lo_ + ((hi - 1).to(at::kDouble) + w) * dx_;
  return x.reshape({n, dim}).to(at::kFloat);
}

at::Tensor ReferenceMarginals::score(size_t k, const at::Tensor& x) const {
  const auto& s = scores_.at(k);
  auto table = at::from_blob(const_cast<double*>(s.data()), {s.size()}, at::TensorOptions().dtype(at::kDouble)).clone();
  const int64_t n = s.size();
  auto pos = ((x.to(at::kDouble) - (lo_ + 0.5 * dx_)) / dx_).clamp(0, n - 1).reshape({-1});
  auto i0 = pos.floor().clamp(0, n - 2).to(at::kLong);
  auto w = pos - i0.to(at::kDouble);
  auto v = table.index_select(0, i0) * (1 - w) + table.index_select(0, i0 + 1) * w;
  return v.reshape(x.sizes()).to(x.dtype());
}

ScoreError ReferenceMarginals::score_error(ScoreModel& model, int64_t n, int64_t dim, at::Generator& gen) const {
  at::NoGradGuard no_grad;
  double err = 0, norm = 0;
  for (size_t k = 0; k < times_.size(); ++k) {
    auto x = sample(k, n, dim, gen).to(model.device());
    auto t = at::full({n}, times_[k], x.options());
    auto ref = score(k, x.cpu()).to(x.device());
    auto diff = model.score(x, t) - ref;
    err += (diff * diff).mean().item<double>();
    norm += (ref * ref).mean().item<double>();
  }
  return {err / times_.size(), err / norm};
}

}  // namespace scorekit
