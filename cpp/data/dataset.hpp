#pragma once
// Training data: anything that can draw a batch from a seeded generator.
#include <ATen/ATen.h>

#include <memory>

#include "util/spec.hpp"

namespace scorekit {

class GaussianMixture;

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual Json spec() const = 0;
  virtual std::vector<int64_t> sample_shape() const = 0;
  virtual at::Tensor sample(int64_t n, at::Generator& gen) const = 0;  // (n, ...sample_shape)
  // The analytic truth, where the data are a Gaussian mixture.
  virtual const GaussianMixture* mixture() const { return nullptr; }
  int64_t dim() const;  // product of sample_shape
};

using DatasetPtr = std::shared_ptr<const Dataset>;

// {"name": "swissroll"} | {"name": "npy", "path": F} | {"name": "mixture", "path": F} or inline
// {"name": "mixture", "weights": [...], "means": [[...]], "stds": [[...]]}.
DatasetPtr make_dataset(const Json& spec);
// The command-line form: NAME | FILE.npy | mixture:FILE.json.
Json dataset_spec_from_arg(const std::string& arg);
std::vector<std::string> dataset_names();

}  // namespace scorekit
