#pragma once
// Fashion-MNIST (Xiao et al. 2017): 28×28 grey images of clothing, 60k train / 10k test, read
// from Debian's dataset-fashion-mnist IDX files by the project's own reader and scaled to [−1, 1].
#include "data/dataset.hpp"

namespace scorekit {

class FashionMnist : public Dataset {
 public:
  // {"name": "fashion-mnist", "split": "train"|"test", "flip": false, "limit": 0 (all), "path": DIR}
  explicit FashionMnist(const Json& spec);
  Json spec() const override;
  std::vector<int64_t> sample_shape() const override { return {1, 28, 28}; }
  // Uniform draws with replacement, each flipped left-right with probability ½ when "flip" is on.
  at::Tensor sample(int64_t n, at::Generator& gen) const override;

  const at::Tensor& pixels() const { return pixels_; }  // (N, 1, 28, 28) uint8, as stored
  static std::string default_dir() { return "/usr/share/datasets/fashion-mnist"; }
  // The labels (0–9, int64) of a split, read from <dir>/{train,t10k}-labels-idx1-ubyte.gz.
  static at::Tensor read_labels(const std::string& dir, const std::string& split);

  // [0, 255] → [−1, 1] (p / 127.5 − 1) and back (rounded, clamped), for training and pictures.
  static at::Tensor to_unit(const at::Tensor& pixels);
  static at::Tensor to_pixels(const at::Tensor& x);
  // Uniform dequantisation for likelihoods: x = (p + u) / 128 − 1, u ~ U[0, 1), so x ∈ [−1, 1)
  // and a density on x gives bits/dim of the discrete data as nll / (D ln 2) + log2(128).
  static at::Tensor dequantise(const at::Tensor& pixels, at::Generator& gen);

 private:
  std::string split_, dir_;
  bool flip_;
  int64_t limit_;
  at::Tensor pixels_, images_;  // uint8 as stored; float in [−1, 1]
};

}  // namespace scorekit
