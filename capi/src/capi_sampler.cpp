// sk_sampler_*: reverse-time samplers writing into a caller buffer.
#include <cmath>
#include <cstring>
#include <limits>

#include "handles.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
using namespace scorekit::capi;

extern "C" {

sk_status sk_sampler_create(const char* spec_json, sk_sampler** out) {
  return guarded("sk_sampler_create", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    auto sampler = make_sampler(parse_spec(spec_json, "spec_json"));
    *out = new sk_sampler{std::move(sampler), {}};
    return SK_OK;
  });
}

void sk_sampler_free(sk_sampler* sampler) { delete sampler; }

sk_status sk_sampler_run(sk_sampler* sampler, sk_model* model, size_t n, uint64_t seed, float* out, size_t out_len,
                         sk_progress_fn progress, void* user, int64_t* out_nfe) {
  return guarded("sk_sampler_run", SK_ERR_RUNTIME, [&] {
    require(sampler, "sampler");
    require(model, "model");
    require(out, "out");
    const size_t count = element_count(n, model_dim(*model->model));
    require_room(out_len, count, "out");
    auto g1 = sampler->lock.acquire("sampler");
    auto g2 = model->lock.acquire("model");
    ProgressFn fn = nullptr;
    if (progress)
      fn = [&](int64_t done, int64_t total) {
        return call_progress(progress, user, done, total, done, std::numeric_limits<double>::quiet_NaN());
      };
    auto gen = make_generator(seed);
    auto& m = *model->model;
    auto result = sampler->sampler->sample(m, *m.sde(), static_cast<int64_t>(n), gen, fn);
    auto x = result.x.to(at::kFloat).contiguous();
    if (!at::isfinite(x).all().item<bool>())
      raise(SK_ERR_RUNTIME, "the samples contain NaN or Inf (the model or step count is unsuitable)");
    std::memcpy(out, x.data_ptr<float>(), count * sizeof(float));
    if (out_nfe) *out_nfe = result.nfe;
    return SK_OK;
  });
}

sk_status sk_sampler_run_f64(sk_sampler* sampler, sk_model* model, size_t n, const double* x_T, size_t x_T_len,
                             const double* normals, size_t normals_len, double* out, size_t out_len,
                             size_t* out_normals_used, int64_t* out_nfe) {
  return guarded("sk_sampler_run_f64", SK_ERR_RUNTIME, [&] {
    require(sampler, "sampler");
    require(model, "model");
    require(x_T, "x_T");
    require(out, "out");
    if (!normals && normals_len != 0) raise(SK_ERR_INVALID_ARGUMENT, "'normals' is NULL but 'normals_len' is " + std::to_string(normals_len));
    auto& m = *model->model;
    const size_t count = element_count(n, model_dim(m));
    if (x_T_len != count)
      raise(SK_ERR_INVALID_ARGUMENT, "'x_T' holds " + std::to_string(x_T_len) + " values but n * dim = " + std::to_string(count));
    require_room(out_len, count, "out");
    require_finite(x_T, count, "x_T");
    require_finite(normals, normals_len, "normals");
    auto g1 = sampler->lock.acquire("sampler");
    auto g2 = model->lock.acquire("model");
    auto given = at::from_blob(const_cast<double*>(normals), {static_cast<int64_t>(normals_len)}, at::kDouble).clone();
    NoiseSource noise(batch_from(m, x_T, n), given);
    auto result = sampler->sampler->run(m, *m.sde(), static_cast<int64_t>(n), noise);
    auto x = result.x.to(at::kDouble).contiguous();
    std::memcpy(out, x.data_ptr<double>(), count * sizeof(double));
    if (out_normals_used) *out_normals_used = normals_len - static_cast<size_t>(noise.normals_left());
    if (out_nfe) *out_nfe = result.nfe;
    return SK_OK;
  });
}

}  // extern "C"
