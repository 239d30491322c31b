#include "eval/image_metrics.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {

at::Tensor rows64(const at::Tensor& x, const char* what) {
  if (x.dim() != 2 || x.size(0) < 1 || x.size(1) < 1) throw Error(std::string(what) + ": features must be (n, d) with n, d >= 1");
  auto y = x.detach().cpu().to(at::kDouble).contiguous();
  if (!at::isfinite(y).all().item<bool>()) throw Error(std::string(what) + ": features hold NaN or infinite values");
  return y;
}

// The symmetric square root of a symmetric positive semi-definite matrix (round-off negatives → 0).
at::Tensor sqrt_psd(const at::Tensor& m) {
  auto [w, v] = at::linalg_eigh((m + m.transpose(0, 1)) / 2);
  return (v * w.clamp_min(0).sqrt().unsqueeze(0)).matmul(v.transpose(0, 1));
}

// Distance from each row of x to its k-th nearest other row of x.
at::Tensor kth_neighbour_radii(const at::Tensor& x, int64_t k) {
  const int64_t n = x.size(0), chunk = 512;
  std::vector<at::Tensor> out;
  for (int64_t i = 0; i < n; i += chunk) {
    auto d = at::cdist(x.slice(0, i, std::min(n, i + chunk)), x);
    // The smallest distance is the point itself (0): the k-th neighbour is the (k+1)-th smallest.
    out.push_back(std::get<0>(at::topk(d, k + 1, 1, /*largest=*/false, /*sorted=*/true)).select(1, k));
  }
  return at::cat(out);
}

// Fraction of `points` inside at least one ball (centre, radius).
double covered(const at::Tensor& points, const at::Tensor& centres, const at::Tensor& radii) {
  const int64_t n = points.size(0), chunk = 512;
  int64_t inside = 0;
  for (int64_t i = 0; i < n; i += chunk) {
    auto d = at::cdist(points.slice(0, i, std::min(n, i + chunk)), centres);
    inside += d.le(radii.unsqueeze(0)).any(1).sum().item<int64_t>();
  }
  return static_cast<double>(inside) / static_cast<double>(n);
}

at::Tensor subsample(const at::Tensor& x, int64_t m, at::Generator& gen) {
  if (x.size(0) <= m) return x;
  return x.index_select(0, at::randperm(x.size(0), gen, at::TensorOptions().dtype(at::kLong)).slice(0, 0, m));
}

}  // namespace

FeatureStats feature_stats(const at::Tensor& features) {
  auto x = rows64(features, "feature_stats");
  if (x.size(0) < 2) throw Error("feature_stats: at least 2 feature vectors are needed for a covariance");
  auto mean = x.mean(0);
  auto c = x - mean;
  return {mean, c.transpose(0, 1).matmul(c) / static_cast<double>(x.size(0) - 1), x.size(0)};
}

double frechet_distance(const FeatureStats& a, const FeatureStats& b) {
  if (!a.mean.defined() || !b.mean.defined() || a.mean.size(0) != b.mean.size(0))
    throw Error("frechet_distance: the two feature sets differ in dimension");
  auto root_a = sqrt_psd(a.cov);
  auto middle = root_a.matmul(b.cov).matmul(root_a);
  const double cross = at::linalg_eigvalsh((middle + middle.transpose(0, 1)) / 2).clamp_min(0).sqrt().sum().item<double>();
  const double d2 = (a.mean - b.mean).pow(2).sum().item<double>();
  return d2 + a.cov.trace().item<double>() + b.cov.trace().item<double>() - 2 * cross;
}

KernelDistance kernel_distance(const at::Tensor& a_in, const at::Tensor& b_in, int64_t subsets, int64_t subset_size,
                               at::Generator& gen) {
  auto a = rows64(a_in, "kernel_distance"), b = rows64(b_in, "kernel_distance");
  if (a.size(1) != b.size(1)) throw Error("kernel_distance: the two feature sets differ in dimension");
  if (subsets < 1 || subset_size < 2) throw Error("kernel_distance: needs subsets >= 1 and subset_size >= 2");
  const int64_t m = std::min({subset_size, a.size(0), b.size(0)});
  if (m < 2) throw Error("kernel_distance: each set needs at least 2 feature vectors");
  const double d = static_cast<double>(a.size(1));
  auto kernel = [d](const at::Tensor& x, const at::Tensor& y) { return (x.matmul(y.transpose(0, 1)) / d + 1).pow(3); };
  std::vector<double> values;
  const auto long_opts = at::TensorOptions().dtype(at::kLong);
  for (int64_t s = 0; s < subsets; ++s) {
    auto x = a.index_select(0, at::randperm(a.size(0), gen, long_opts).slice(0, 0, m));
    auto y = b.index_select(0, at::randperm(b.size(0), gen, long_opts).slice(0, 0, m));
    auto kxx = kernel(x, x), kyy = kernel(y, y), kxy = kernel(x, y);
    const double mm = static_cast<double>(m);
    const double xx = (kxx.sum().item<double>() - kxx.diagonal().sum().item<double>()) / (mm * (mm - 1));
    const double yy = (kyy.sum().item<double>() - kyy.diagonal().sum().item<double>()) / (mm * (mm - 1));
    values.push_back(xx + yy - 2 * kxy.mean().item<double>());
  }
  double mean = 0, var = 0;
  for (double v : values) mean += v / values.size();
  for (double v : values) var += (v - mean) * (v - mean) / values.size();
  return {mean, std::sqrt(var)};
}

PrecisionRecall precision_recall(const at::Tensor& real_in, const at::Tensor& fake_in, int64_t k) {
  auto real = rows64(real_in, "precision_recall"), fake = rows64(fake_in, "precision_recall");
  if (real.size(1) != fake.size(1)) throw Error("precision_recall: the two feature sets differ in dimension");
  if (k < 1) throw Error("precision_recall: k must be >= 1");
  if (real.size(0) <= k || fake.size(0) <= k)
    throw Error("precision_recall: each set needs more than k = " + std::to_string(k) + " feature vectors");
  return {covered(fake, real, kth_neighbour_radii(real, k)), covered(real, fake, kth_neighbour_radii(fake, k))};
}

std::vector<double> class_fractions(const at::Tensor& logits) {
  if (logits.dim() != 2 || logits.size(0) < 1) throw Error("class_fractions: logits must be (n, classes), n >= 1");
  auto counts = at::bincount(logits.argmax(1).cpu(), {}, logits.size(1)).to(at::kDouble) / static_cast<double>(logits.size(0));
  return std::vector<double>(counts.data_ptr<double>(), counts.data_ptr<double>() + counts.numel());
}

FeatureMetricsOptions FeatureMetricsOptions::read(SpecReader& r, const std::string& what) {
  FeatureMetricsOptions o;
  o.kid_subsets = r.integer("kid_subsets", o.kid_subsets);
  o.kid_subset_size = r.integer("kid_subset_size", o.kid_subset_size);
  o.k = r.integer("k", o.k);
  o.pr_max = r.integer("pr_max", o.pr_max);
  o.seed = static_cast<uint64_t>(r.integer("seed", 0));
  if (o.kid_subsets < 1 || o.kid_subsets > 100000) throw Error(what + ": 'kid_subsets' must be in [1, 100000]");
  if (o.kid_subset_size < 2) throw Error(what + ": 'kid_subset_size' must be >= 2");
  if (o.k < 1 || o.k > 100) throw Error(what + ": 'k' must be in [1, 100]");
  if (o.pr_max <= o.k) throw Error(what + ": 'pr_max' must exceed 'k'");
  return o;
}

FeatureMetricsOptions FeatureMetricsOptions::from_spec(const Json& spec, const std::string& what) {
  if (spec.is_null()) return {};
  SpecReader r(spec, what);
  auto o = read(r, what);
  r.finish();
  return o;
}

Json FeatureMetrics::to_json() const {
  return {{"fd", fd}, {"kid", kid}, {"kid_std", kid_std}, {"precision", precision}, {"recall", recall}};
}

FeatureMetrics feature_metrics(const at::Tensor& fake, const at::Tensor& real, const FeatureMetricsOptions& o,
                               const FeatureStats* real_stats) {
  auto f = rows64(fake, "image metrics (generated)"), r = rows64(real, "image metrics (reference)");
  if (f.size(1) != r.size(1)) throw Error("image metrics: the generated and reference features differ in dimension");
  if (f.size(0) < 2 || r.size(0) < 2) throw Error("image metrics: each set needs at least 2 images");
  FeatureMetrics m;
  const FeatureStats rs = real_stats ? *real_stats : feature_stats(r);
  m.fd = frechet_distance(feature_stats(f), rs);
  auto gen = make_generator(o.seed);
  auto kid = kernel_distance(f, r, o.kid_subsets, o.kid_subset_size, gen);
  m.kid = kid.mean;
  m.kid_std = kid.std;
  const int64_t n = std::min({f.size(0), r.size(0), o.pr_max});
  if (n <= o.k) throw Error("image metrics: precision/recall need more than k = " + std::to_string(o.k) + " images per set");
  auto pr = precision_recall(subsample(r, n, gen), subsample(f, n, gen), o.k);
  m.precision = pr.precision;
  m.recall = pr.recall;
  return m;
}

}  // namespace scorekit
