#pragma once
// The project's own Fashion-MNIST classifier, whose penultimate features stand in for Inception's in
// the image metrics (eval/image_metrics.hpp): there is no network access here, so no Inception
// weights. A small CNN, trained deterministically by `scorekit train-classifier` (fixed seed, one
// thread); its weights ship in models/fmnist_classifier.skc (the checkpoint format of io/checkpoint).
//   conv 3×3 (1→32) BN ReLU maxpool → conv 3×3 (32→64) BN ReLU maxpool → linear 3136→128 ReLU
//   (the 128 features) → dropout → linear 128→10 (logits).
#include <ATen/ATen.h>
#include <torch/nn.h>

#include <string>
#include <vector>

#include "util/spec.hpp"

namespace scorekit {

class FmnistClassifier : public torch::nn::Module {
 public:
  static constexpr int64_t kFeatureDim = 128;
  static constexpr int64_t kClasses = 10;
  explicit FmnistClassifier(uint64_t seed = 0);

  // x: (N, 1, 28, 28) in [−1, 1]. Dropout draws its mask from `gen` when training.
  at::Tensor features(const at::Tensor& x);
  at::Tensor logits_from_features(const at::Tensor& f, at::Generator* gen = nullptr);
  at::Tensor forward(const at::Tensor& x, at::Generator* gen = nullptr) { return logits_from_features(features(x), gen); }

  // Features and logits of many images, in batches, in evaluation mode, without gradients.
  struct Outputs {
    at::Tensor features;  // (N, 128) float32
    at::Tensor logits;    // (N, 10) float32
  };
  Outputs evaluate(const at::Tensor& images, int64_t batch = 500);

  // What the shipped file says about its training (command, seed, epochs, test accuracy).
  const Json& info() const { return info_; }
  void set_info(Json info) { info_ = std::move(info); }

  void save(const std::string& path) const;
  static std::shared_ptr<FmnistClassifier> load(const std::string& path);

  // The ten Fashion-MNIST labels, in label order.
  static const std::vector<std::string>& class_names();

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  torch::nn::Linear fc_{nullptr}, out_{nullptr};
  Json info_ = Json::object();
};
using ClassifierPtr = std::shared_ptr<FmnistClassifier>;

// Where the classifier's weights are: `explicit_path` if given, else $SCOREKIT_CLASSIFIER, else the
// first existing of: beside the binary holding this code (the pip wheel), share/scorekit/ or models/ in it
// or up to four folders above it (an installed prefix; a build tree inside the source tree).
// Throws, naming every place tried, when none holds the file.
std::string locate_classifier(const std::string& explicit_path = "");

// Loaded once per path and process (the weights are read-only afterwards).
ClassifierPtr shared_classifier(const std::string& explicit_path = "");

// Fraction of correctly predicted labels.
double classifier_accuracy(FmnistClassifier& model, const at::Tensor& images, const at::Tensor& labels);

}  // namespace scorekit
