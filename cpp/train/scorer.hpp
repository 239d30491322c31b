#pragma once
// What sampling, scoring and evaluation need: a score model with its SDE and (when known) the
// data it was trained on. From a checkpoint the model is the EMA copy of the weights.
#include "data/dataset.hpp"
#include "models/score_model.hpp"

namespace scorekit {

struct Scorer {
  SdePtr sde;
  ModelPtr model;
  DatasetPtr data;  // may be null
  Json spec;        // the training spec it came from
  int64_t step = 0;
};

// `device`: where the model runs ("cpu", "cuda", "cuda:N"; empty: where it was trained if this
// machine has that device, else the CPU).
Scorer load_scorer(const std::string& checkpoint_path, const std::string& device = "");

// The exact-score oracle (models/oracle.hpp) for mixture data under an affine SDE: no checkpoint,
// no training. data_spec is a dataset spec naming a mixture ({"name": "mixture", "path": F} or
// inline), sde_spec an SDE spec or name.
Scorer make_oracle_scorer(const Json& data_spec, const Json& sde_spec);

}  // namespace scorekit
