#pragma once
#include "data/dataset.hpp"

namespace scorekit {

// Any N×d (or N×C×H×W) float array from an .npy file; batches are drawn uniformly with
// replacement from the seeded generator.
class NpyDataset : public Dataset {
 public:
  explicit NpyDataset(const Json& spec);
  NpyDataset(at::Tensor data, Json spec);
  Json spec() const override { return spec_; }
  std::vector<int64_t> sample_shape() const override;
  at::Tensor sample(int64_t n, at::Generator& gen) const override;
  const at::Tensor& data() const { return data_; }

 private:
  void validate();
  at::Tensor data_;
  Json spec_;
};

// Samples held in memory (copied): spec {"name": "array", "shape": [N, ...]}. The spec cannot
// rebuild them, so a run on an array resumes only when it is given the array again.
DatasetPtr array_dataset(const at::Tensor& samples);
// A fixed sample of some data, stored in checkpoints so that evaluation needs no data file:
// spec {"name": "reference", "points": n, "of": <the data spec it was drawn from>}.
DatasetPtr reference_dataset(const at::Tensor& samples, const Json& of);

}  // namespace scorekit
