#pragma once
// Generated images judged against a data set's images on the features of the project's classifier
// (eval/fmnist_classifier.hpp, eval/image_metrics.hpp), the reference features cached
// (eval/reference_features.hpp). The one reference known today is Fashion-MNIST's test split.
#include <ATen/ATen.h>

#include "eval/image_metrics.hpp"

namespace scorekit {

struct ImageEvalOptions {
  std::string data = "fashion-mnist";  // the reference data set (the only one with a classifier)
  std::string split = "test";
  std::string data_path;   // "" → FashionMnist::default_dir()
  std::string classifier;  // "" → locate_classifier()
  std::string cache_dir;   // "" → default_cache_dir()
  FeatureMetricsOptions metrics;
  // Samples drawn from a model (evaluate --checkpoint, train --eval-every): clamped to [−1, 1]
  // whatever their range, since an untrained or diverging model is a result, not bad input.
  bool clamp_any = false;
  // {"data", "split", "path", "classifier", "cache_dir", "kid_subsets", "kid_subset_size", "k",
  //  "pr_max", "seed"}; null gives the defaults; unknown keys and data names are errors.
  static ImageEvalOptions from_spec(const Json& spec);
};

// Whether a model's samples are Fashion-MNIST-shaped (1, 28, 28) images.
bool fmnist_shaped(const std::vector<int64_t>& sample_shape);

// images: (N, 1, 28, 28), N >= 2, in [−1, 1]. NaN or infinite values, and (unless clamp_any) values
// beyond ±2 (another scale, e.g. [0, 255]), are errors; the rest is clamped to [−1, 1] (samplers
// overshoot a little), and "clamped" reports the fraction of values that were outside.
// → {"fd", "kid", "kid_std", "precision", "recall", "classes" (fraction predicted per label),
//    "n", "reference_n", "clamped", "reference": "fashion-mnist:test", "classifier": path}
Json evaluate_images(const at::Tensor& images, const ImageEvalOptions& options);

}  // namespace scorekit
