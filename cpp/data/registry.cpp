// The data registry: names to constructors, and the command-line shorthand.
#include <algorithm>

#include "data/fashion_mnist.hpp"
#include "data/gaussian_mixture.hpp"
#include "data/image_folder.hpp"
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
  n.push_back("images");
  return n;
}

Json dataset_spec_from_arg(const std::string& arg) {
  if (arg.rfind("mixture:", 0) == 0) return {{"name", "mixture"}, {"path", arg.substr(8)}};
  if (arg.size() > 4 && arg.compare(arg.size() - 4, 4, ".npy") == 0) return {{"name", "npy"}, {"path", arg}};
  if (!arg.empty() && arg.back() == '/') return {{"name", "images"}, {"path", arg}};
  return {{"name", arg}};
}

bool dataset_spec_is_self_contained(const Json& spec) {
  if (!spec.is_object() || !spec.contains("name") || !spec["name"].is_string()) return false;
  const std::string name = spec["name"];
  const auto toys = Toy2d::names();
  if (std::find(toys.begin(), toys.end(), name) != toys.end()) return true;
  return name == "mixture" && spec.contains("weights");
}

Json relocate_dataset_spec(const Json& spec, const std::string& new_path) {
  if (!spec.is_object() || !spec.contains("path"))
    throw Error("data " + spec.dump() + " read no file, so there is nothing to relocate; drop --data");
  Json out = spec;
  out["path"] = new_path;
  return out;
}

std::string describe_dataset_source(const Json& spec) {
  if (!spec.is_object()) return "data " + spec.dump();
  const std::string name = spec.value("name", std::string("?"));
  if (name == "array") return "an in-memory array of shape " + spec.value("shape", Json::array()).dump();
  if (spec.contains("path") && spec["path"].is_string()) {
    const std::string kind = name == "npy" ? "file" : "path";
    return "the " + kind + " '" + spec["path"].get<std::string>() + "' (data '" + name + "')";
  }
  return "data '" + name + "'";
}

DatasetPtr make_dataset(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "data");
  for (const auto& toy : Toy2d::names())
    if (name == toy) return std::make_shared<Toy2d>(spec);
  if (name == "npy") return std::make_shared<NpyDataset>(spec);
  if (name == "fashion-mnist") return std::make_shared<FashionMnist>(spec);
  if (name == "images") return std::make_shared<ImageFolder>(spec);
  if (name == "array")
    throw Error("data 'array' lives in memory and cannot be rebuilt from its spec; pass the array again "
                "(C: sk_dataset_from_array, Python: scorekit.Dataset.from_array)");
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
