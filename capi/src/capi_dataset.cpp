// sk_dataset_*: training data built from a JSON spec or copied from a caller's array.
#include <cstring>

#include "data/npy_dataset.hpp"
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

sk_status sk_dataset_from_array(const float* values, size_t values_len, const int64_t* shape, size_t shape_len,
                                sk_dataset** out) {
  return guarded("sk_dataset_from_array", SK_ERR_INVALID_ARGUMENT, [&] {
    require(out, "out");
    *out = nullptr;
    require(values, "values");
    require(shape, "shape");
    if (shape_len < 2 || shape_len > 8)
      raise(SK_ERR_INVALID_ARGUMENT, "shape needs 2 to 8 entries ((n, dim) or (n, C, H, W)), got " + std::to_string(shape_len));
    std::vector<int64_t> dims(shape, shape + shape_len);
    size_t count = 1;
    for (size_t i = 0; i < shape_len; ++i) {
      if (dims[i] <= 0) raise(SK_ERR_INVALID_ARGUMENT, "shape[" + std::to_string(i) + "] must be positive, got " + std::to_string(dims[i]));
      count = element_count(count, static_cast<size_t>(dims[i]));
    }
    if (count != values_len)
      raise(SK_ERR_INVALID_ARGUMENT, "the shape holds " + std::to_string(count) + " values but values_len is " +
                                         std::to_string(values_len));
    require_finite(values, count, "values");
    // from_blob views the caller's memory; array_dataset copies it before we return.
    auto view = at::from_blob(const_cast<float*>(values), dims, at::TensorOptions().dtype(at::kFloat));
    *out = new sk_dataset{array_dataset(view), {}};
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
