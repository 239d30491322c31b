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
// The command-line form: NAME | FILE.npy | mixture:FILE.json | DIR/ (a folder of PNG/JPEG images).
Json dataset_spec_from_arg(const std::string& arg);
// True when the spec alone rebuilds the data, reading no file (toy sets, inline mixtures):
// checkpoints of such runs can evaluate against the data itself.
bool dataset_spec_is_self_contained(const Json& spec);
// The same data spec pointing at a moved file or folder (its "path" replaced); an error for data
// that have no path.
Json relocate_dataset_spec(const Json& spec, const std::string& new_path);
// What a data spec reads, for messages: "the file 'x.npy'", "an in-memory array", ...
std::string describe_dataset_source(const Json& spec);
std::vector<std::string> dataset_names();

}  // namespace scorekit
