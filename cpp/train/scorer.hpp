#pragma once
// What sampling, scoring and evaluation need: a score model with its SDE and (when known) the
// data it was trained on. From a checkpoint the model is the EMA copy of the weights.
#include "data/dataset.hpp"
#include "models/score_model.hpp"

namespace scorekit {

struct Scorer {
  SdePtr sde;
  ModelPtr model;
  DatasetPtr data;  // may be null; from a checkpoint of file data, the reference sample it carries
  Json spec;        // the training spec it came from
  int64_t step = 0;
};

// Reads no training data: the model is built from the stored spec and sample shape. `device`:
// where the model runs ("cpu", "cuda", "cuda:N"; empty: where it was trained when this machine has
// that device, else the CPU). Its weights are the
// EMA used for sampling, or, with ema_sigma_rel != 0, the post-hoc EMA of that length rebuilt
// from the checkpoint's snapshots (train/ema_snapshots.hpp).
Scorer load_scorer(const std::string& checkpoint_path, const std::string& device = "", double ema_sigma_rel = 0);

// The exact-score oracle (models/oracle.hpp) for mixture data under an affine SDE: no checkpoint,
// no training. data_spec is a dataset spec naming a mixture ({"name": "mixture", "path": F} or
// inline), sde_spec an SDE spec or name.
Scorer make_oracle_scorer(const Json& data_spec, const Json& sde_spec);

}  // namespace scorekit
