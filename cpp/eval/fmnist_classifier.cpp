#include "eval/fmnist_classifier.hpp"

#include <dlfcn.h>
#include <torch/autograd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "io/checkpoint.hpp"
#include "train/module_tensors.hpp"
#include "util/error.hpp"
#include "util/global_rng.hpp"


namespace scorekit {

namespace {
constexpr const char* kKind = "fmnist_classifier";
constexpr const char* kFileName = "fmnist_classifier.skc";
constexpr double kDropout = 0.3;
}  // namespace

FmnistClassifier::FmnistClassifier(uint64_t seed) {
  namespace nn = torch::nn;
  std::lock_guard<std::mutex> rng_lock(global_rng_mutex());
  torch::manual_seed(seed);
  conv1_ = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(1, 32, 3).padding(1)));
  bn1_ = register_module("bn1", nn::BatchNorm2d(32));
  conv2_ = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(32, 64, 3).padding(1)));
  bn2_ = register_module("bn2", nn::BatchNorm2d(64));
  fc_ = register_module("fc", nn::Linear(64 * 7 * 7, kFeatureDim));
  out_ = register_module("out", nn::Linear(kFeatureDim, kClasses));
}

at::Tensor FmnistClassifier::features(const at::Tensor& x) {
  auto h = at::max_pool2d(at::relu(bn1_->forward(conv1_->forward(x))), {2, 2});
  h = at::max_pool2d(at::relu(bn2_->forward(conv2_->forward(h))), {2, 2});
  return at::relu(fc_->forward(h.flatten(1)));
}

at::Tensor FmnistClassifier::logits_from_features(const at::Tensor& f, at::Generator* gen) {
  at::Tensor h = f;
  if (is_training() && gen) {  // inverted dropout with a mask from the run's own generator
    auto keep = at::bernoulli(at::full(f.sizes(), 1.0 - kDropout, f.options()), *gen);
    h = f * keep / (1.0 - kDropout);
  }
  return out_->forward(h);
}

FmnistClassifier::Outputs FmnistClassifier::evaluate(const at::Tensor& images, int64_t batch) {
  if (images.dim() != 4 || images.size(1) != 1 || images.size(2) != 28 || images.size(3) != 28)
    throw Error("classifier: images must be (N, 1, 28, 28)");
  torch::NoGradGuard no_grad;
  const bool was_training = is_training();  // a loaded (shared) classifier is in eval mode: no writes here
  if (was_training) eval();
  std::vector<at::Tensor> fs, ls;
  auto x = images.to(at::kFloat).cpu();
  for (int64_t i = 0; i < x.size(0); i += batch) {
    auto f = features(x.slice(0, i, std::min(i + batch, x.size(0))).contiguous());
    fs.push_back(f);
    ls.push_back(logits_from_features(f));
  }
  if (was_training) train(true);
  if (fs.empty()) return {at::zeros({0, kFeatureDim}), at::zeros({0, kClasses})};
  return {at::cat(fs), at::cat(ls)};
}

void FmnistClassifier::save(const std::string& path) const {
  CheckpointData ck;
  ck.spec_json = Json{{"kind", kKind}, {"feature_dim", kFeatureDim}, {"classes", kClasses}, {"info", info_}}.dump();
  export_module("classifier/", *this, ck.tensors);
  for (auto& t : ck.tensors) t.value = t.value.detach().cpu().contiguous();
  save_checkpoint(path, ck);
}

std::shared_ptr<FmnistClassifier> FmnistClassifier::load(const std::string& path) {
  auto ck = load_checkpoint(path);
  Json spec;
  try {
    spec = Json::parse(ck.spec_json);
  } catch (const std::exception&) {
    throw CheckpointError("classifier '" + path + "': its spec is not JSON");
  }
  if (!spec.is_object() || spec.value("kind", std::string()) != kKind)
    throw CheckpointError("'" + path + "' is not a Fashion-MNIST classifier file (a scorekit checkpoint of kind '" +
                          std::string(kKind) + "', written by `scorekit train-classifier`)");
  auto model = std::make_shared<FmnistClassifier>();
  import_module("classifier/", *model, ck);
  model->info_ = spec.value("info", Json::object());
  model->eval();
  return model;
}

const std::vector<std::string>& FmnistClassifier::class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

std::string locate_classifier(const std::string& explicit_path) {
  namespace fs = std::filesystem;
  if (!explicit_path.empty()) {
    if (!fs::is_regular_file(explicit_path)) throw IoError("classifier file '" + explicit_path + "' not found");
    return explicit_path;
  }
  if (const char* env = std::getenv("SCOREKIT_CLASSIFIER"); env && *env) {
    if (!fs::is_regular_file(env)) throw IoError("classifier file '" + std::string(env) + "' ($SCOREKIT_CLASSIFIER) not found");
    return env;
  }
  // The binary holding this code (the command line, libscorekit.so, a test) and its ancestors: the
  // pip wheel keeps the file beside libscorekit.so, an installed prefix in share/scorekit/, and a
  // build tree inside the source tree finds the source's models/.
  std::vector<fs::path> tried;
  std::vector<fs::path> binaries;
  Dl_info dl{};
  if (dladdr(reinterpret_cast<void*>(&locate_classifier), &dl) && dl.dli_fname && *dl.dli_fname) binaries.push_back(dl.dli_fname);
  binaries.push_back("/proc/self/exe");  // the main program, should dladdr name it without its path
  for (const auto& binary : binaries) {
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(binary, ec).parent_path();
    if (ec || dir.empty()) continue;
    tried.push_back(dir / kFileName);
    for (int up = 0; up < 4; ++up, dir = dir.parent_path()) {
      tried.push_back(dir / "share" / "scorekit" / kFileName);
      tried.push_back(dir / "models" / kFileName);
      if (dir == dir.parent_path()) break;
    }
  }
  std::string list;
  std::set<std::string> seen;
  for (const auto& p : tried) {
    const std::string path = p.lexically_normal().string();
    if (!seen.insert(path).second) continue;
    if (fs::is_regular_file(p)) return path;
    list += (list.empty() ? "" : ", ") + path;
  }
  throw IoError("the Fashion-MNIST classifier (" + std::string(kFileName) + ") was not found; looked in " + list +
                "; set $SCOREKIT_CLASSIFIER or pass its path (retrain it with `scorekit train-classifier --out FILE`)");
}

ClassifierPtr shared_classifier(const std::string& explicit_path) {
  const std::string path = std::filesystem::absolute(locate_classifier(explicit_path)).string();
  static std::mutex mutex;
  static std::map<std::string, ClassifierPtr> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = loaded[path];
  if (!slot) slot = FmnistClassifier::load(path);
  return slot;
}

double classifier_accuracy(FmnistClassifier& model, const at::Tensor& images, const at::Tensor& labels) {
  if (labels.size(0) != images.size(0)) throw Error("classifier_accuracy: images and labels differ in number");
  auto pred = model.evaluate(images).logits.argmax(1);
  return pred.eq(labels.to(at::kLong)).to(at::kDouble).mean().item<double>();
}

}  // namespace scorekit
