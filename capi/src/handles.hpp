#pragma once
// The opaque handle structs behind the C ABI. Each owns shared pointers to immutable core objects
// (so a handle built from another stays valid after the other is freed) and its own lock.
#include "capi_common.hpp"
#include "data/dataset.hpp"
#include "models/score_model.hpp"
#include "objectives/objective.hpp"
#include "samplers/sampler.hpp"
#include "sde/sde.hpp"
#include "train/trainer.hpp"

struct sk_dataset {
  scorekit::DatasetPtr data;
  scorekit::capi::HandleLock lock;
};

struct sk_sde {
  scorekit::SdePtr sde;
  scorekit::capi::HandleLock lock;
};

// A score model with the SDE it was built for; `data` and `training_spec` are set when it came
// from a checkpoint or a trainer.
struct sk_model {
  scorekit::ModelPtr model;
  scorekit::DatasetPtr data;
  scorekit::Json training_spec;
  int64_t step = 0;
  scorekit::capi::HandleLock lock;
};

struct sk_objective {
  scorekit::ObjectivePtr objective;
  scorekit::capi::HandleLock lock;
};

struct sk_trainer {
  std::unique_ptr<scorekit::Trainer> trainer;
  scorekit::Json last_metrics = scorekit::Json::object();  // the last line Trainer::run reported
  scorekit::capi::HandleLock lock;
};

struct sk_sampler {
  scorekit::SamplerPtr sampler;
  scorekit::capi::HandleLock lock;
};

namespace scorekit::capi {
// The model's flat input size (product of its sample shape).
size_t model_dim(const ScoreModel& m);
// A caller's flat buffer x[n * dim] as a tensor (n, ...sample_shape) in x's precision, copied so that the
// caller's memory is never aliased.
template <typename T>
at::Tensor batch_from(const ScoreModel& m, const T* x, size_t n) {
  std::vector<int64_t> shape = m.sample_shape();
  shape.insert(shape.begin(), static_cast<int64_t>(n));
  return at::from_blob(const_cast<T*>(x), shape, at::TensorOptions().dtype(c10::CppTypeToScalarType<T>::value)).clone();
}
// Fills a C progress record and calls the user's callback; returns false to cancel.
bool call_progress(sk_progress_fn fn, void* user, int64_t done, int64_t total, int64_t step, double loss);
}  // namespace scorekit::capi
