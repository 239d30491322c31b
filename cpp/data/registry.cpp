// The data registry: names to constructors and summaries, and the command-line shorthand.
#include "data/registry.hpp"

#include <algorithm>
#include <cstdio>

#include "data/fashion_mnist.hpp"
#include "data/gaussian_mixture.hpp"
#include "data/image_folder.hpp"
#include "data/npy_dataset.hpp"
#include "data/toy2d.hpp"
#include "util/error.hpp"
#include "util/registry_table.hpp"

namespace scorekit {

int64_t Dataset::dim() const {
  int64_t d = 1;
  for (auto s : sample_shape()) d *= s;
  return d;
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

namespace {
DatasetPtr make_mixture(const Json& spec) {
  if (spec.contains("weights")) return std::make_shared<GaussianMixture>(spec);
  if (!spec.contains("path") || !spec["path"].is_string())
    throw Error("data 'mixture' needs a \"path\" to a JSON file or inline weights/means/stds");
  for (auto it = spec.begin(); it != spec.end(); ++it)
    if (it.key() != "name" && it.key() != "path")
      throw Error("data 'mixture': unknown key '" + it.key() + "'; valid: name, path, weights, means, stds");
  return std::make_shared<GaussianMixture>(GaussianMixture::from_file(spec["path"]));
}

std::vector<DatasetEntry> build_table() {
  std::vector<DatasetEntry> table;
  for (const auto& toy : Toy2d::names())
    table.push_back({toy, "2-D toy distribution, sampled fresh every draw",
                     [](const Json& spec) -> DatasetPtr { return std::make_shared<Toy2d>(spec); }});
  table.push_back({"npy", "FILE.npy: N x d or N x C x H x W float32/64 samples",
                   [](const Json& spec) -> DatasetPtr { return std::make_shared<NpyDataset>(spec); }});
  table.push_back({"mixture", "mixture:FILE.json: a diagonal Gaussian mixture with exact scores under affine SDEs",
                   make_mixture});
  table.push_back({"fashion-mnist", "Fashion-MNIST images in [-1, 1] (Debian's dataset-fashion-mnist)",
                   [](const Json& spec) -> DatasetPtr { return std::make_shared<FashionMnist>(spec); }});
  table.push_back({"images", "a folder of PNG/JPEG pictures, resized and scaled to [-1, 1]",
                   [](const Json& spec) -> DatasetPtr { return std::make_shared<ImageFolder>(spec); }});
  return table;
}
}  // namespace

const std::vector<DatasetEntry>& dataset_table() {
  static const std::vector<DatasetEntry> table = build_table();
  return table;
}

std::vector<std::string> dataset_names() { return names_of(dataset_table()); }

std::string dataset_help() {
  std::string out;
  for (const auto& e : dataset_table()) out += help_line(e.name, e.summary);
  return out;
}

DatasetPtr make_dataset(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "data");
  if (name == "array")
    throw Error("data 'array' lives in memory and cannot be rebuilt from its spec; pass the array again "
                "(C: sk_dataset_from_array, Python: scorekit.Dataset.from_array)");
  for (const auto& e : dataset_table())
    if (e.name == name) return e.make(spec);
  unknown_name("data set", name, dataset_names());
}

}  // namespace scorekit
