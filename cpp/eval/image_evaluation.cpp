#include "eval/image_evaluation.hpp"

#include "eval/fmnist_classifier.hpp"
#include "eval/reference_features.hpp"
#include "util/error.hpp"

namespace scorekit {

ImageEvalOptions ImageEvalOptions::from_spec(const Json& spec) {
  ImageEvalOptions o;
  if (spec.is_null()) return o;
  const std::string what = "image metrics options";
  SpecReader r(spec, what);
  o.data = r.string("data", o.data);
  if (o.data != "fashion-mnist") unknown_name("image metrics data", o.data, {"fashion-mnist"});
  o.split = r.choice("split", o.split, {"train", "test"});
  o.data_path = r.string("path", "");
  o.classifier = r.string("classifier", "");
  o.cache_dir = r.string("cache_dir", "");
  o.metrics = FeatureMetricsOptions::read(r, what);
  r.finish();
  return o;
}

bool fmnist_shaped(const std::vector<int64_t>& s) { return s == std::vector<int64_t>{1, 28, 28}; }

Json evaluate_images(const at::Tensor& images, const ImageEvalOptions& o) {
  if (images.dim() != 4 || !fmnist_shaped({images.size(1), images.size(2), images.size(3)})) {
    std::ostringstream os;
    os << "image metrics: images must be (N, 1, 28, 28) like Fashion-MNIST, got shape " << images.sizes();
    throw Error(os.str());
  }
  if (images.size(0) < 2) throw Error("image metrics: at least 2 images are needed");
  auto x = images.detach().cpu().to(at::kFloat);
  if (!at::isfinite(x).all().item<bool>()) throw Error("image metrics: the images hold NaN or infinite values");
  const double peak = x.abs().max().item<double>();
  if (peak > 2 && !o.clamp_any)
    throw Error("image metrics: images must lie in [-1, 1] (found a value of magnitude " + std::to_string(peak) +
                "; 8-bit pixels p map to p / 127.5 - 1)");
  const double clamped = x.abs().gt(1).to(at::kDouble).mean().item<double>();
  x = x.clamp(-1, 1);

  const std::string path = locate_classifier(o.classifier);
  auto classifier = shared_classifier(path);
  auto ref = reference_features(*classifier, path, o.split, o.data_path, o.cache_dir);
  auto out = classifier->evaluate(x);
  Json r = feature_metrics(out.features, ref.features, o.metrics, &ref.stats).to_json();
  r["classes"] = class_fractions(out.logits);
  r["n"] = x.size(0);
  r["reference_n"] = ref.features.size(0);
  r["clamped"] = clamped;
  r["reference"] = o.data + ":" + o.split;
  r["classifier"] = path;
  return r;
}

}  // namespace scorekit
