#pragma once
// The model registry: one row per name. model_names(), the command line's help text and the
// "valid: …" errors read this table; adding a model is one row.
#include <functional>

#include "models/score_model.hpp"

namespace scorekit {

struct ModelEntry {
  std::string name;
  std::string summary;  // one line for help text
  std::string sdes;     // which SDEs it works with, in words
  std::function<ModelPtr(const Json& spec, SdePtr sde, const std::vector<int64_t>& sample_shape)> make;
};

const std::vector<ModelEntry>& model_table();
std::string model_help();  // "  name  summary (SDEs)" lines

}  // namespace scorekit
