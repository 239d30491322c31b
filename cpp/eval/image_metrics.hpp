#pragma once
// Distances between two sets of feature vectors (rows), as used to judge generated images on the
// features of a classifier (eval/fmnist_classifier.hpp):
//   fd        Fréchet distance between Gaussians fitted to the features (Heusel et al. 2017's FID
//             formula, here on this project's classifier, not Inception):
//             ‖μ_a − μ_b‖² + tr(Σ_a + Σ_b − 2 (Σ_a^{1/2} Σ_b Σ_a^{1/2})^{1/2}), in float64, the square
//             roots from eigen-decompositions of symmetric matrices (negative round-off eigenvalues → 0).
//   kid       kernel distance (Bińkowski et al. 2018's KID): the unbiased MMD² with the cubic polynomial
//             kernel k(x, y) = (x·y / d + 1)³, averaged over random subsets (mean and std over subsets).
//   precision / recall  (Kynkäänniemi et al. 2019): a set's manifold is the union of balls around its
//             points reaching their k-th nearest neighbour in the set; precision is the fraction of
//             generated points inside the real manifold, recall the fraction of real points inside
//             the generated one.
#include <ATen/ATen.h>

#include <vector>

#include "util/spec.hpp"

namespace scorekit {

struct FeatureStats {
  at::Tensor mean;  // (d) float64
  at::Tensor cov;   // (d, d) float64, unbiased (n − 1)
  int64_t n = 0;
};
FeatureStats feature_stats(const at::Tensor& features);

double frechet_distance(const FeatureStats& a, const FeatureStats& b);

struct KernelDistance {
  double mean = 0, std = 0;  // over subsets; std with 1/S (as torch-fidelity and clean-fid report it)
};
// `subsets` draws of min(subset_size, n_a, n_b) rows of each set, without replacement within a draw.
KernelDistance kernel_distance(const at::Tensor& a, const at::Tensor& b, int64_t subsets, int64_t subset_size,
                               at::Generator& gen);

struct PrecisionRecall {
  double precision = 0, recall = 0;
};
// real and fake as given (callers usually pass equally many of each); k-th neighbour radii, k >= 1.
PrecisionRecall precision_recall(const at::Tensor& real, const at::Tensor& fake, int64_t k);

// Fraction of rows whose arg-max is each class: the mode coverage of generated images.
std::vector<double> class_fractions(const at::Tensor& logits);

struct FeatureMetricsOptions {
  int64_t kid_subsets = 100;
  int64_t kid_subset_size = 1000;
  int64_t k = 3;               // precision/recall neighbour
  int64_t pr_max = 10000;      // precision/recall on at most this many points of each set
  uint64_t seed = 0;           // KID subsets, and the rows kept for precision/recall
  // {"kid_subsets", "kid_subset_size", "k", "pr_max", "seed"}; unknown keys are errors.
  static FeatureMetricsOptions from_spec(const Json& spec, const std::string& what);
  static FeatureMetricsOptions read(SpecReader& r, const std::string& what);  // these keys only, no finish()
};

struct FeatureMetrics {
  double fd = 0, kid = 0, kid_std = 0, precision = 0, recall = 0;
  Json to_json() const;  // {"fd", "kid", "kid_std", "precision", "recall"}
};
// fake: generated features, real: reference features (rows; same width). real_stats may carry the
// reference's precomputed statistics. Precision/recall use equally many points of each set: the larger
// set is subsampled (seeded) to the smaller one's size, capped at pr_max.
FeatureMetrics feature_metrics(const at::Tensor& fake, const at::Tensor& real, const FeatureMetricsOptions& options,
                               const FeatureStats* real_stats = nullptr);

}  // namespace scorekit
