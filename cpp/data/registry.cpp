// The data registry: names to constructors, and the command-line shorthand.
#include "data/fashion_mnist.hpp"
#include "data/gaussian_mixture.hpp"
#include "data/npy_dataset.hpp"
#include "data/toy2d.hpp"
#include "util/error.hpp"

namespace scorekit {

int64_t Dataset::dim() const {
  int64_t d = 1;
  for (auto s : sample_shape()) d *= s;
  return d;
}

std::vector<std::string> dataset_names() {
  auto n = Toy2d::names();
  n.push_back("npy");
  n.push_back("mixture");
  n.push_back("fashion-mnist");
  return n;
}

Json dataset_spec_from_arg(const std::string& arg) {
  if (arg.rfind("mixture:", 0) == 0) return {{"name", "mixture"}, {"path", arg.substr(8)}};
  if (arg.size() > 4 && arg.compare(arg.size() - 4, 4, ".npy") == 0) return {{"name", "npy"}, {"path", arg}};
  return {{"name", arg}};
}

DatasetPtr make_dataset(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "data");
  for (const auto& toy : Toy2d::names())
    if (name == toy) return std::make_shared<Toy2d>(spec);
  if (name == "npy") return std::make_shared<NpyDataset>(spec);
  if (name == "fashion-mnist") return std::make_shared<FashionMnist>(spec);
  if (name == "mixture") {
    if (spec.contains("weights")) return std::make_shared<GaussianMixture>(spec);
    if (!spec.contains("path") || !spec["path"].is_string())
      throw Error("data 'mixture' needs a \"path\" to a JSON file or inline weights/means/stds");
    for (auto it = spec.begin(); it != spec.end(); ++it)
      if (it.key() != "name" && it.key() != "path") throw Error("data 'mixture': unknown key '" + it.key() + "'; valid: name, path, weights, means, stds");
    auto m = std::make_shared<GaussianMixture>(GaussianMixture::from_file(spec["path"]));
    return m;
  }
  unknown_name("data set", name, dataset_names());
}

}  // namespace scorekit
