// sk_objective_*: score-matching losses, evaluable on a caller's batch.
#include "handles.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
using namespace scorekit::capi;

extern "C" {

sk_status sk_objective_create(const char* spec_json, sk_objective** out) {
  return guarded("sk_objective_create", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    auto objective = make_objective(parse_spec(spec_json, "spec_json"));
    *out = new sk_objective{std::move(objective), {}};
    return SK_OK;
  });
}

void sk_objective_free(sk_objective* objective) { delete objective; }

sk_status sk_objective_loss(sk_objective* objective, sk_model* model, const float* x0, size_t n, size_t dim,
                            uint64_t seed, double* out_loss) {
  return guarded("sk_objective_loss", SK_ERR_INVALID_ARGUMENT, [&] {
    require(objective, "objective");
    require(model, "model");
    require(x0, "x0");
    require(out_loss, "out_loss");
    const size_t count = element_count(n, dim);
    const size_t want = model_dim(*model->model);
    if (dim != want)
      raise(SK_ERR_INVALID_ARGUMENT, "the model takes " + std::to_string(want) + " values per point, got dim = " + std::to_string(dim));
    require_finite(x0, count, "x0");
    // Lock order everywhere: the acting handle first, then the model.
    auto g1 = objective->lock.acquire("objective");
    auto g2 = model->lock.acquire("model");
    auto& m = *model->model;
    check_compatible(*objective->objective, *m.sde());
    std::vector<int64_t> shape = m.sample_shape();
    shape.insert(shape.begin(), static_cast<int64_t>(n));
    auto batch = at::from_blob(const_cast<float*>(x0), shape, at::kFloat).clone().to(m.device());
    auto gen = make_generator(seed);
    // Evaluation only: the loss graph is built (objectives need autograd for some estimators) but no
    // gradient is taken, so the model's weights are untouched.
    *out_loss = objective->objective->loss(m, *m.sde(), batch, gen).loss.item<double>();
    return SK_OK;
  });
}

}  // extern "C"
