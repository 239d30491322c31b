// sk_sde_*: forward processes built from a JSON spec.
#include <cmath>
#include <cstring>

#include "handles.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
using namespace scorekit::capi;

extern "C" {

sk_status sk_sde_create(const char* spec_json, sk_sde** out) {
  return guarded("sk_sde_create", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    auto sde = make_sde(parse_spec(spec_json, "spec_json"));
    *out = new sk_sde{std::move(sde), {}};
    return SK_OK;
  });
}

void sk_sde_free(sk_sde* sde) { delete sde; }

sk_status sk_sde_marginal(const sk_sde* sde, double t, double* out_alpha, double* out_sigma) {
  return guarded("sk_sde_marginal", SK_ERR_INVALID_ARGUMENT, [&] {
    require(sde, "sde");
    require(out_alpha, "out_alpha");
    require(out_sigma, "out_sigma");
    if (!(t > 0 && t <= sde->sde->T())) raise(SK_ERR_INVALID_ARGUMENT, "t must be in " + time_range(sde->sde->T()) + ", got " + std::to_string(t));
    auto m = sde->sde->marginal(at::full({1}, t, at::TensorOptions().dtype(at::kDouble)));
    *out_alpha = m.alpha.item<double>();
    *out_sigma = m.sigma.item<double>();
    return SK_OK;
  });
}

sk_status sk_sde_prior_sample(const sk_sde* sde, size_t n, size_t dim, uint64_t seed, float* out, size_t out_len) {
  return guarded("sk_sde_prior_sample", SK_ERR_INVALID_ARGUMENT, [&] {
    require(sde, "sde");
    require(out, "out");
    const size_t count = element_count(n, dim);
    require_room(out_len, count, "out");
    auto gen = make_generator(seed);
    auto x = sde->sde->prior_sample({static_cast<int64_t>(n), static_cast<int64_t>(dim)}, gen).to(at::kFloat).contiguous();
    std::memcpy(out, x.data_ptr<float>(), count * sizeof(float));
    return SK_OK;
  });
}

}  // extern "C"
