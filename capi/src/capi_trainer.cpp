// sk_trainer_*: the training loop behind the C ABI, with a cancellable progress callback.
#include <cmath>
#include <limits>

#include "handles.hpp"
#include "train/ema.hpp"

using namespace scorekit;
using namespace scorekit::capi;

namespace scorekit::capi {

bool call_progress(sk_progress_fn fn, void* user, int64_t done, int64_t total, int64_t step, double loss) {
  if (!fn) return true;
  const sk_progress p{done, total, step, loss};
  return fn(user, &p) == 0;
}

}  // namespace scorekit::capi

extern "C" {

sk_status sk_trainer_create(const char* spec_json, sk_trainer** out) {
  return guarded("sk_trainer_create", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    auto trainer = std::make_unique<Trainer>(parse_spec(spec_json, "spec_json"));
    *out = new sk_trainer{std::move(trainer), Json::object(), {}};
    return SK_OK;
  });
}

sk_status sk_trainer_load(const char* checkpoint_path, sk_trainer** out) {
  return guarded("sk_trainer_load", SK_ERR_CHECKPOINT, [&] {
    require(out, "out");
    *out = nullptr;
    require(checkpoint_path, "checkpoint_path");
    auto trainer = Trainer::from_checkpoint(checkpoint_path);
    *out = new sk_trainer{std::move(trainer), Json::object(), {}};
    return SK_OK;
  });
}

sk_status sk_trainer_create_with_data(const char* spec_json, const sk_dataset* data, sk_trainer** out) {
  return guarded("sk_trainer_create_with_data", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    require(data, "data");
    const Json spec = parse_spec(spec_json, "spec_json");
    if (spec.is_object() && spec.contains("data"))
      raise(SK_ERR_SPEC, "spec_json names \"data\" but the data come as a handle; drop one of them");
    auto trainer = std::make_unique<Trainer>(spec, data->data);
    *out = new sk_trainer{std::move(trainer), Json::object(), {}};
    return SK_OK;
  });
}

sk_status sk_trainer_load_with_data(const char* checkpoint_path, const sk_dataset* data, sk_trainer** out) {
  return guarded("sk_trainer_load_with_data", SK_ERR_CHECKPOINT, [&] {
    require(out, "out");
    *out = nullptr;
    require(checkpoint_path, "checkpoint_path");
    require(data, "data");
    auto trainer = Trainer::from_checkpoint(checkpoint_path, nullptr, "", data->data);
    *out = new sk_trainer{std::move(trainer), Json::object(), {}};
    return SK_OK;
  });
}

sk_status sk_trainer_create_distributed(const char* spec_json, const char* checkpoint_path,
                                       const char* distributed_json, sk_trainer** out) {
  return guarded("sk_trainer_create_distributed", SK_ERR_SPEC, [&] {
    require(out, "out");
    *out = nullptr;
    if (!spec_json == !checkpoint_path)
      raise(SK_ERR_INVALID_ARGUMENT, "give exactly one of spec_json (a new run) and checkpoint_path (a resumed run)");
    const Json dist = distributed_json ? parse_spec(distributed_json, "distributed_json") : Json::object();
    auto group = std::make_shared<ProcessGroup>(DistributedConfig::from_spec(dist));
    auto trainer = spec_json ? std::make_unique<Trainer>(parse_spec(spec_json, "spec_json"), group)
                             : Trainer::from_checkpoint(checkpoint_path, group);
    *out = new sk_trainer{std::move(trainer), Json::object(), {}};
    return SK_OK;
  });
}

sk_status sk_trainer_rank(const sk_trainer* trainer, int* out_rank, int* out_world_size) {
  return guarded("sk_trainer_rank", SK_ERR_INVALID_ARGUMENT, [&] {
    require(trainer, "trainer");
    require(out_rank, "out_rank");
    require(out_world_size, "out_world_size");
    *out_rank = trainer->trainer->rank();
    *out_world_size = trainer->trainer->world_size();
    return SK_OK;
  });
}

void sk_trainer_free(sk_trainer* trainer) { delete trainer; }

sk_status sk_trainer_step(sk_trainer* trainer, double* out_loss) {
  return guarded("sk_trainer_step", SK_ERR_RUNTIME, [&] {
    require(trainer, "trainer");
    auto guard = trainer->lock.acquire("trainer");
    const auto r = trainer->trainer->step();
    trainer->last_metrics = Json{{"lr", r.lr}, {"grad_norm", r.grad_norm}};
    if (out_loss) *out_loss = r.loss;
    return SK_OK;
  });
}

sk_status sk_trainer_train(sk_trainer* trainer, int64_t steps, sk_progress_fn progress, void* user) {
  return guarded("sk_trainer_train", SK_ERR_RUNTIME, [&] {
    require(trainer, "trainer");
    if (steps <= 0) raise(SK_ERR_INVALID_ARGUMENT, "steps must be positive, got " + std::to_string(steps));
    auto guard = trainer->lock.acquire("trainer");
    Trainer& t = *trainer->trainer;
    ProgressFn fn = nullptr;
    if (progress)
      fn = [&](int64_t done, int64_t total) { return call_progress(progress, user, done, total, t.steps_done(), t.last_loss()); };
    // Steps finished before a cancel stay applied (each step is complete), so the trainer stays usable.
    t.run(steps, fn, [&](const Json& line) { trainer->last_metrics = line; });
    return SK_OK;
  });
}

sk_status sk_trainer_step_count(const sk_trainer* trainer, int64_t* out_step) {
  return guarded("sk_trainer_step_count", SK_ERR_INVALID_ARGUMENT, [&] {
    require(trainer, "trainer");
    require(out_step, "out_step");
    auto guard = const_cast<sk_trainer*>(trainer)->lock.acquire("trainer");
    *out_step = trainer->trainer->steps_done();
    return SK_OK;
  });
}

sk_status sk_trainer_last_loss(const sk_trainer* trainer, double* out_loss) {
  return guarded("sk_trainer_last_loss", SK_ERR_INVALID_ARGUMENT, [&] {
    require(trainer, "trainer");
    require(out_loss, "out_loss");
    auto guard = const_cast<sk_trainer*>(trainer)->lock.acquire("trainer");
    *out_loss = trainer->trainer->last_loss();
    return SK_OK;
  });
}

sk_status sk_trainer_metrics(const sk_trainer* trainer, char* buf, size_t cap, size_t* out_len) {
  return guarded("sk_trainer_metrics", SK_ERR_INVALID_ARGUMENT, [&] {
    require(trainer, "trainer");
    auto guard = const_cast<sk_trainer*>(trainer)->lock.acquire("trainer");
    Json m = trainer->last_metrics;
    m["step"] = trainer->trainer->steps_done();
    m["loss"] = trainer->trainer->last_loss();
    return copy_string(m.dump(), buf, cap, out_len);
  });
}

sk_status sk_trainer_spec(const sk_trainer* trainer, char* buf, size_t cap, size_t* out_len) {
  return guarded("sk_trainer_spec", SK_ERR_INVALID_ARGUMENT, [&] {
    require(trainer, "trainer");
    auto guard = const_cast<sk_trainer*>(trainer)->lock.acquire("trainer");
    return copy_string(trainer->trainer->spec().dump(), buf, cap, out_len);
  });
}

sk_status sk_trainer_save(sk_trainer* trainer, const char* path) {
  return guarded("sk_trainer_save", SK_ERR_IO, [&] {
    require(trainer, "trainer");
    require(path, "path");
    if (!*path) raise(SK_ERR_INVALID_ARGUMENT, "'path' is empty");
    auto guard = trainer->lock.acquire("trainer");
    trainer->trainer->save(path);
    return SK_OK;
  });
}

sk_status sk_trainer_model(sk_trainer* trainer, sk_model** out) {
  return guarded("sk_trainer_model", SK_ERR_RUNTIME, [&] {
    require(trainer, "trainer");
    require(out, "out");
    *out = nullptr;
    auto guard = trainer->lock.acquire("trainer");
    Trainer& t = *trainer->trainer;
    // A snapshot: a fresh network with the EMA weights copied in, so training on may continue.
    auto model = make_model(t.spec().at("model"), t.sde_ptr(), t.data().sample_shape());
    copy_weights(*model, t.ema_model());
    for (auto& p : model->parameters()) p.set_requires_grad(false);
    model->eval();
    *out = new sk_model{std::move(model), t.data_ptr(), t.spec(), t.steps_done(), {}};
    return SK_OK;
  });
}

}  // extern "C"
