#include "data/npy_dataset.hpp"

#include "io/npy.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

NpyDataset::NpyDataset(const Json& spec) {
  SpecReader r(spec, "data 'npy'");
  const std::string path = r.string("path", "");
  r.finish();
  if (path.empty()) throw Error("data 'npy' needs a \"path\"");
  data_ = read_npy(path);
  spec_ = {{"name", "npy"}, {"path", path}};
  validate();
}

NpyDataset::NpyDataset(at::Tensor data, Json spec) : data_(std::move(data)), spec_(std::move(spec)) { validate(); }

void NpyDataset::validate() {
  if (data_.dim() < 2 || data_.size(0) < 1)
    throw Error("data: expected an array of shape (N, d) or (N, C, H, W) with N >= 1");
  require_finite(data_, "data " + spec_.dump());
}

std::vector<int64_t> NpyDataset::sample_shape() const {
  return std::vector<int64_t>(data_.sizes().begin() + 1, data_.sizes().end());
}

at::Tensor NpyDataset::sample(int64_t n, at::Generator& gen) const {
  if (n <= 0) throw Error("data: the number of samples must be positive");
  auto idx = at::randint(data_.size(0), {n}, gen, at::TensorOptions().dtype(at::kLong));
  return data_.index_select(0, idx);
}

DatasetPtr array_dataset(const at::Tensor& samples) {
  auto x = samples.to(at::kFloat).contiguous().clone();
  return std::make_shared<NpyDataset>(x, Json{{"name", "array"}, {"shape", x.sizes().vec()}});
}

DatasetPtr reference_dataset(const at::Tensor& samples, const Json& of) {
  return std::make_shared<NpyDataset>(samples.to(at::kFloat).contiguous(),
                                      Json{{"name", "reference"}, {"points", samples.size(0)}, {"of", of}});
}

}  // namespace scorekit
