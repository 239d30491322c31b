// sk_image_features, sk_feature_metrics, sk_image_metrics: the image metrics (fd, kid, precision,
// recall, predicted classes) on the features of the project's Fashion-MNIST classifier.
#include <cstring>

#include "eval/fmnist_classifier.hpp"
#include "eval/image_evaluation.hpp"
#include "eval/image_metrics.hpp"
#include "handles.hpp"
#include "util/error.hpp"

using namespace scorekit;
using namespace scorekit::capi;

namespace {

constexpr size_t kPixels = 28 * 28;

// The caller's n images (n * 784 floats) as an (n, 1, 28, 28) tensor, copied; NaN is refused here.
at::Tensor images_from(const float* images, size_t n, const char* name) {
  require(images, name);
  const size_t count = element_count(n, kPixels);
  require_finite(images, count, name);
  return at::from_blob(const_cast<float*>(images), {static_cast<int64_t>(n), 1, 28, 28}, at::kFloat).clone();
}

// Options of a spec string; a bad key or value is SK_ERR_SPEC.
template <class T, class F>
T options_from(const char* json, const char* name, F&& parse) {
  const Json spec = json ? parse_spec(json, name) : Json();
  try {
    return parse(spec);
  } catch (const IoError&) {
    throw;
  } catch (const Error& e) {
    raise(SK_ERR_SPEC, e.what());
  }
}

}  // namespace

extern "C" {

sk_status sk_image_features(const float* images, size_t n, const char* options_json, float* out, size_t out_len) {
  return guarded("sk_image_features", SK_ERR_INVALID_ARGUMENT, [&] {
    require(out, "out");
    const std::string classifier = options_from<std::string>(options_json, "options_json", [](const Json& spec) {
      if (spec.is_null()) return std::string();
      SpecReader r(spec, "sk_image_features options");
      std::string path = r.string("classifier", "");
      r.finish();
      return path;
    });
    auto x = images_from(images, n, "images");
    require_room(out_len, element_count(n, FmnistClassifier::kFeatureDim), "out_len");
    auto f = shared_classifier(classifier)->evaluate(x).features.contiguous();
    std::memcpy(out, f.data_ptr<float>(), sizeof(float) * static_cast<size_t>(f.numel()));
    return SK_OK;
  });
}

sk_status sk_feature_metrics(const float* a, size_t na, const float* b, size_t nb, size_t dim, const char* options_json,
                             char* buf, size_t cap, size_t* out_len) {
  return guarded("sk_feature_metrics", SK_ERR_INVALID_ARGUMENT, [&] {
    auto options = options_from<FeatureMetricsOptions>(options_json, "options_json", [](const Json& spec) {
      return FeatureMetricsOptions::from_spec(spec, "sk_feature_metrics options");
    });
    require(a, "a");
    require(b, "b");
    require_finite(a, element_count(na, dim), "a");
    require_finite(b, element_count(nb, dim), "b");
    if (na < 2 || nb < 2) raise(SK_ERR_INVALID_ARGUMENT, "each feature set needs at least 2 rows");
    auto ta = at::from_blob(const_cast<float*>(a), {static_cast<int64_t>(na), static_cast<int64_t>(dim)}, at::kFloat).clone();
    auto tb = at::from_blob(const_cast<float*>(b), {static_cast<int64_t>(nb), static_cast<int64_t>(dim)}, at::kFloat).clone();
    return copy_string(feature_metrics(ta, tb, options).to_json().dump(), buf, cap, out_len);
  });
}

sk_status sk_image_metrics(const float* images, size_t n, const char* options_json, char* buf, size_t cap,
                           size_t* out_len) {
  return guarded("sk_image_metrics", SK_ERR_INVALID_ARGUMENT, [&] {
    auto options = options_from<ImageEvalOptions>(options_json, "options_json",
                                                  [](const Json& spec) { return ImageEvalOptions::from_spec(spec); });
    auto x = images_from(images, n, "images");
    return copy_string(evaluate_images(x, options).dump(), buf, cap, out_len);
  });
}

}  // extern "C"
