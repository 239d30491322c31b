#pragma once
// The classifier features of a Fashion-MNIST split, computed once and cached on disk (a scorekit
// checkpoint-format file holding the (N, 128) features) and in the process. The cache file's name
// carries a hash of the classifier file's bytes, the data folder and the split, so a retrained
// classifier or other data never meet stale features.
#include <string>

#include "eval/fmnist_classifier.hpp"
#include "eval/image_metrics.hpp"

namespace scorekit {

struct ReferenceFeatures {
  at::Tensor features;  // (N, 128) float32
  FeatureStats stats;
  std::string cache_file;  // where they are (or would have been) cached
  bool from_cache = false;
};

// $SCOREKIT_CACHE_DIR, else $XDG_CACHE_HOME/scorekit, else $HOME/.cache/scorekit, else "" (no cache).
std::string default_cache_dir();

// classifier_path: the file `classifier` was loaded from (hashed into the cache key); data_dir: ""
// for FashionMnist::default_dir(); cache_dir: "" for default_cache_dir(). A cache that cannot be
// written is skipped (a warning on stderr); an unreadable cache file is recomputed and rewritten.
ReferenceFeatures reference_features(FmnistClassifier& classifier, const std::string& classifier_path,
                                     const std::string& split, const std::string& data_dir, const std::string& cache_dir);

}  // namespace scorekit
