// sk_dataset_*: training data built from a JSON spec.
#include <cstring>

#include "handles.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
using namespace scorekit::capi;

extern "C" {

sk_status sk_dataset_create(const char* spec_json, sk_dataset** out) {
  return guarded("sk_dataset_create", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    auto data = make_dataset(parse_spec(spec_json, "spec_json"));
    *out = new sk_dataset{std::move(data), {}};
    return SK_OK;
  });
}

void sk_dataset_free(sk_dataset* data) { delete data; }

sk_status sk_dataset_dim(const sk_dataset* data, size_t* out_dim) {
  return guarded("sk_dataset_dim", SK_ERR_INVALID_ARGUMENT, [&] {
    require(data, "data");
    require(out_dim, "out_dim");
    *out_dim = static_cast<size_t>(data->data->dim());
    return SK_OK;
  });
}

sk_status sk_dataset_sample(const sk_dataset* data, size_t n, uint64_t seed, float* out, size_t out_len) {
  return guarded("sk_dataset_sample", SK_ERR_INVALID_ARGUMENT, [&] {
    require(data, "data");
    require(out, "out");
    const size_t count = element_count(n, static_cast<size_t>(data->data->dim()));
    require_room(out_len, count, "out");
    auto guard = const_cast<sk_dataset*>(data)->lock.acquire("dataset");
    auto gen = make_generator(seed);
    auto x = data->data->sample(static_cast<int64_t>(n), gen).to(at::kFloat).contiguous();
    std::memcpy(out, x.data_ptr<float>(), count * sizeof(float));
    return SK_OK;
  });
}

}  // extern "C"
