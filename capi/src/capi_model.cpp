// sk_model_*: score networks, built from a spec or loaded from a checkpoint, and the score itself.
#include <torch/autograd.h>

#include <cmath>
#include <cstring>

#include "data/gaussian_mixture.hpp"
#include "eval/metrics.hpp"
#include "handles.hpp"
#include "likelihood/likelihood.hpp"
#include "train/scorer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
using namespace scorekit::capi;

namespace scorekit::capi {

size_t model_dim(const ScoreModel& m) {
  size_t d = 1;
  for (auto s : m.sample_shape()) d *= static_cast<size_t>(s);
  return d;
}

}  // namespace scorekit::capi

namespace {

void require_model_dim(const sk_model* model, size_t dim) {
  const size_t want = model_dim(*model->model);
  if (dim != want)
    raise(SK_ERR_INVALID_ARGUMENT, "the model takes " + std::to_string(want) + " values per point, got dim = " + std::to_string(dim));
}


// sk_model_score in float32 or float64: the score at x[n * dim], times t[t_len], into out.
template <typename T>
sk_status score_into(sk_model* model, const T* x, size_t n, size_t dim, const T* t, size_t t_len, T* out,
                     size_t out_len) {
  require(model, "model");
  require(x, "x");
  require(t, "t");
  require(out, "out");
  const size_t count = element_count(n, dim);
  require_model_dim(model, dim);
  if (t_len != 1 && t_len != n)
    raise(SK_ERR_INVALID_ARGUMENT, "t_len must be 1 or n = " + std::to_string(n) + ", got " + std::to_string(t_len));
  require_room(out_len, count, "out");
  require_finite(x, count, "x");
  const double T_end = model->model->sde()->T();
  for (size_t i = 0; i < t_len; ++i)
    if (!(t[i] > 0 && t[i] <= T_end))
      raise(SK_ERR_INVALID_ARGUMENT, "t[" + std::to_string(i) + "] = " + std::to_string(t[i]) + " is outside " + time_range(T_end));
  auto guard = model->lock.acquire("model");
  torch::NoGradGuard no_grad;
  auto& m = *model->model;
  const auto dtype = c10::CppTypeToScalarType<T>::value;
  auto xs = batch_from(m, x, n).to(m.device());
  auto ts = t_len == 1 ? at::full({static_cast<int64_t>(n)}, static_cast<double>(t[0]), at::TensorOptions().dtype(dtype))
                       : at::from_blob(const_cast<T*>(t), {static_cast<int64_t>(n)}, dtype).clone();
  auto s = m.score(xs, ts.to(m.device())).to(at::kCPU, dtype).contiguous();
  std::memcpy(out, s.template data_ptr<T>(), count * sizeof(T));
  return SK_OK;
}

}  // namespace

extern "C" {

sk_status sk_model_create(const char* spec_json, const sk_sde* sde, size_t dim, sk_model** out) {
  return guarded("sk_model_create", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    require(sde, "sde");
    if (dim == 0 || dim > (1u << 24)) raise(SK_ERR_INVALID_ARGUMENT, "dim must be in [1, 2^24], got " + std::to_string(dim));
    auto model = make_model(parse_spec(spec_json, "spec_json"), sde->sde, {static_cast<int64_t>(dim)});
    model->eval();
    *out = new sk_model{std::move(model), nullptr, Json(), 0, {}};
    return SK_OK;
  });
}

sk_status sk_model_load(const char* checkpoint_path, sk_model** out) {
  return guarded("sk_model_load", SK_ERR_CHECKPOINT, [&] {
    require(out, "out");
    *out = nullptr;
    require(checkpoint_path, "checkpoint_path");
    auto scorer = load_scorer(checkpoint_path);
    *out = new sk_model{scorer.model, scorer.data, scorer.spec, scorer.step, {}};
    return SK_OK;
  });
}

sk_status sk_model_load_posthoc_ema(const char* checkpoint_path, double sigma_rel, sk_model** out) {
  return guarded("sk_model_load_posthoc_ema", SK_ERR_CHECKPOINT, [&] {
    require(out, "out");
    *out = nullptr;
    require(checkpoint_path, "checkpoint_path");
    if (!(sigma_rel > 0 && sigma_rel < 0.2887))
      raise(SK_ERR_INVALID_ARGUMENT, "sigma_rel must lie in (0, 0.2887), got " + std::to_string(sigma_rel));
    auto scorer = load_scorer(checkpoint_path, "", sigma_rel);
    *out = new sk_model{scorer.model, scorer.data, scorer.spec, scorer.step, {}};
    return SK_OK;
  });
}

sk_status sk_model_oracle(const char* data_spec_json, const char* sde_spec_json, sk_model** out) {
  return guarded("sk_model_oracle", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    auto scorer = make_oracle_scorer(parse_spec(data_spec_json, "data_spec_json"), parse_spec(sde_spec_json, "sde_spec_json"));
    *out = new sk_model{scorer.model, scorer.data, scorer.spec, scorer.step, {}};
    return SK_OK;
  });
}

sk_status sk_model_nll(sk_model* model, const float* x, size_t n, size_t dim, const char* options_json, uint64_t seed,
                       double* out_mean_nats, double* out_bits_per_dim, double* out_nll, size_t out_len) {
  return guarded("sk_model_nll", SK_ERR_INVALID_ARGUMENT, [&] {
    require(model, "model");
    require(x, "x");
    require(out_mean_nats, "out_mean_nats");
    require(out_bits_per_dim, "out_bits_per_dim");
    const size_t count = element_count(n, dim);
    require_model_dim(model, dim);
    if (out_nll) require_room(out_len, n, "out_nll");
    require_finite(x, count, "x");
    const Json options = options_json ? parse_spec(options_json, "options_json") : Json::object();
    auto guard = model->lock.acquire("model");
    auto& m = *model->model;
    auto gen = make_generator(seed);
    auto r = negative_log_likelihood(m, *m.sde(), batch_from(m, x, n).to(m.device()), options, gen);
    *out_mean_nats = r.mean_nats;
    *out_bits_per_dim = r.bits_per_dim;
    if (out_nll) {
      auto v = r.nll.to(at::kCPU, at::kDouble).contiguous();
      std::memcpy(out_nll, v.data_ptr<double>(), n * sizeof(double));
    }
    return SK_OK;
  });
}

void sk_model_free(sk_model* model) { delete model; }

sk_status sk_model_dim(const sk_model* model, size_t* out_dim) {
  return guarded("sk_model_dim", SK_ERR_INVALID_ARGUMENT, [&] {
    require(model, "model");
    require(out_dim, "out_dim");
    *out_dim = model_dim(*model->model);
    return SK_OK;
  });
}

sk_status sk_model_score(sk_model* model, const float* x, size_t n, size_t dim, const float* t, size_t t_len,
                         float* out, size_t out_len) {
  return guarded("sk_model_score", SK_ERR_INVALID_ARGUMENT, [&] { return score_into(model, x, n, dim, t, t_len, out, out_len); });
}

sk_status sk_model_score_f64(sk_model* model, const double* x, size_t n, size_t dim, const double* t, size_t t_len,
                             double* out, size_t out_len) {
  return guarded("sk_model_score_f64", SK_ERR_INVALID_ARGUMENT,
                 [&] { return score_into(model, x, n, dim, t, t_len, out, out_len); });
}

sk_status sk_model_spec(const sk_model* model, char* buf, size_t cap, size_t* out_len) {
  return guarded("sk_model_spec", SK_ERR_INVALID_ARGUMENT, [&] {
    require(model, "model");
    return copy_string(model->model->spec().dump(), buf, cap, out_len);
  });
}

sk_status sk_model_score_mse(sk_model* model, const sk_dataset* mixture, size_t n, uint64_t seed, double* out) {
  return guarded("sk_model_score_mse", SK_ERR_INVALID_ARGUMENT, [&] {
    require(model, "model");
    require(mixture, "mixture");
    require(out, "out");
    element_count(n, 1);
    const GaussianMixture* truth = mixture->data->mixture();
    if (!truth) raise(SK_ERR_INVALID_ARGUMENT, "the data set has no analytic score; use a \"mixture\" data set");
    require_model_dim(model, static_cast<size_t>(truth->dim()));
    auto guard = model->lock.acquire("model");
    auto gen = make_generator(seed);
    *out = score_mse(*model->model, *model->model->sde(), *truth, static_cast<int64_t>(n), gen);
    return SK_OK;
  });
}

}  // extern "C"
