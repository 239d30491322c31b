#pragma once
// A folder of PNG and JPEG pictures as training images: every *.png, *.jpg, *.jpeg file in `path`
// (and, with "labels", in its sub-directories, one class per sub-directory), decoded to grey or
// RGB, centre-cropped to a square (or squeezed, "crop": false) and resized to `resolution`, scaled
// to [−1, 1]. A file that cannot be decoded stops the load with an error that names every such
// file; nothing is skipped silently.
#include "data/dataset.hpp"

namespace scorekit {

class ImageFolder : public Dataset {
 public:
  // {"name": "images", "path": DIR, "resolution": 32, "channels": 3, "crop": true, "labels": false,
  //  "flip": false}
  explicit ImageFolder(const Json& spec);
  Json spec() const override;
  std::vector<int64_t> sample_shape() const override { return {channels_, resolution_, resolution_}; }
  // Uniform draws with replacement, each flipped left-right with probability ½ when "flip" is on.
  at::Tensor sample(int64_t n, at::Generator& gen) const override;

  const at::Tensor& pixels() const { return pixels_; }  // (N, C, R, R) uint8
  // With "labels": the class index of every image and the class names (sorted sub-directories).
  // Training does not use them yet (the models are unconditional).
  const at::Tensor& labels() const { return labels_; }
  const std::vector<std::string>& class_names() const { return classes_; }

 private:
  std::string dir_;
  int64_t resolution_, channels_;
  bool crop_, with_labels_, flip_;
  at::Tensor pixels_, labels_;
  std::vector<std::string> classes_;
};

}  // namespace scorekit
