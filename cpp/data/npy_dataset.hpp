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

}  // namespace scorekit
