// sk_sliced_wasserstein, sk_mmd: sample-quality metrics on caller buffers.
#include "eval/metrics.hpp"
#include "handles.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
using namespace scorekit::capi;

namespace {

at::Tensor points(const float* p, size_t n, size_t dim, const char* name) {
  require(p, name);
  const size_t count = element_count(n, dim);
  require_finite(p, count, name);
  return at::from_blob(const_cast<float*>(p), {static_cast<int64_t>(n), static_cast<int64_t>(dim)}, at::kFloat).clone();
}

}  // namespace

extern "C" {

sk_status sk_sliced_wasserstein(const float* a, size_t na, const float* b, size_t nb, size_t dim, size_t projections,
                                uint64_t seed, double* out) {
  return guarded("sk_sliced_wasserstein", SK_ERR_INVALID_ARGUMENT, [&] {
    require(out, "out");
    if (projections == 0 || projections > 100000)
      raise(SK_ERR_INVALID_ARGUMENT, "projections must be in [1, 100000], got " + std::to_string(projections));
    auto ta = points(a, na, dim, "a"), tb = points(b, nb, dim, "b");
    auto gen = make_generator(seed);
    *out = sliced_wasserstein(ta, tb, static_cast<int64_t>(projections), gen);
    return SK_OK;
  });
}

sk_status sk_mmd(const float* a, size_t na, const float* b, size_t nb, size_t dim, double* out) {
  return guarded("sk_mmd", SK_ERR_INVALID_ARGUMENT, [&] {
    require(out, "out");
    auto ta = points(a, na, dim, "a"), tb = points(b, nb, dim, "b");
    if (na < 2 || nb < 2) raise(SK_ERR_INVALID_ARGUMENT, "the unbiased MMD needs at least 2 points per set");
    *out = mmd(ta, tb);
    return SK_OK;
  });
}

}  // extern "C"
