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

Scorer load_scorer(const std::string& checkpoint_path);

}  // namespace scorekit
