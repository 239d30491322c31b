#include "data/fashion_mnist.hpp"

#include <filesystem>

#include "io/idx.hpp"
#include "util/error.hpp"

namespace scorekit {

FashionMnist::FashionMnist(const Json& spec) {
  SpecReader r(spec, "data 'fashion-mnist'");
  split_ = r.choice("split", "train", {"train", "test"});
  flip_ = r.boolean("flip", false);
  limit_ = r.integer("limit", 0);
  dir_ = r.string("path", default_dir());
  r.finish();
  if (limit_ < 0) throw Error("data 'fashion-mnist': 'limit' must be >= 0 (0 = every image)");
  const std::string file = dir_ + "/" + (split_ == "train" ? "train" : "t10k") + "-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(file))
    throw Error("data 'fashion-mnist': '" + file + "' not found; install the Debian package dataset-fashion-mnist "
                "(apt-get install dataset-fashion-mnist) or point \"path\" at a directory holding " +
                std::filesystem::path(file).filename().string());
  auto raw = read_idx(file);
  if (raw.scalar_type() != at::kByte || raw.dim() != 3 || raw.size(1) != 28 || raw.size(2) != 28 || raw.size(0) < 1)
    throw Error("data 'fashion-mnist': '" + file + "' does not hold (N, 28, 28) uint8 images");
  if (limit_ > 0 && limit_ < raw.size(0)) raw = raw.slice(0, 0, limit_);
  pixels_ = raw.unsqueeze(1).contiguous();
  images_ = to_unit(pixels_);
}

Json FashionMnist::spec() const {
  return {{"name", "fashion-mnist"}, {"split", split_}, {"flip", flip_}, {"limit", limit_}, {"path", dir_}};
}

at::Tensor FashionMnist::sample(int64_t n, at::Generator& gen) const {
  if (n <= 0) throw Error("data: the number of samples must be positive");
  auto idx = at::randint(images_.size(0), {n}, gen, at::TensorOptions().dtype(at::kLong));
  auto x = images_.index_select(0, idx);
  if (!flip_) return x;
  auto flip = at::bernoulli(at::full({n, 1, 1, 1}, 0.5, at::kFloat), gen).to(at::kBool);
  return at::where(flip, x.flip({3}), x);
}

at::Tensor FashionMnist::read_labels(const std::string& dir, const std::string& split) {
  if (split != "train" && split != "test") throw Error("data 'fashion-mnist': split must be 'train' or 'test', got '" + split + "'");
  const std::string file = dir + "/" + (split == "train" ? "train" : "t10k") + "-labels-idx1-ubyte.gz";
  if (!std::filesystem::exists(file))
    throw Error("data 'fashion-mnist': '" + file + "' not found; install the Debian package dataset-fashion-mnist");
  auto raw = read_idx(file);
  if (raw.scalar_type() != at::kByte || raw.dim() != 1 || raw.size(0) < 1 || raw.max().item<int>() > 9)
    throw Error("data 'fashion-mnist': '" + file + "' does not hold labels 0-9");
  return raw.to(at::kLong);
}

at::Tensor FashionMnist::to_unit(const at::Tensor& pixels) { return pixels.to(at::kFloat) / 127.5 - 1; }

at::Tensor FashionMnist::to_pixels(const at::Tensor& x) {
  return ((x.to(at::kFloat) + 1) * 127.5).round().clamp(0, 255).to(at::kByte);
}

at::Tensor FashionMnist::dequantise(const at::Tensor& pixels, at::Generator& gen) {
  auto u = at::rand(pixels.sizes(), gen, at::TensorOptions().dtype(at::kFloat));
  return (pixels.to(at::kFloat) + u) / 128.0 - 1;
}

}  // namespace scorekit
