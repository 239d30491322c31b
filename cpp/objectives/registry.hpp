#pragma once
// The objective registry: one row per name. The name list, the command line's help text, the
// "valid: …" errors and the compatibility check all read this table; adding an objective is one row.
#include <functional>

#include "objectives/objective.hpp"

namespace scorekit {

struct ObjectiveEntry {
  std::string name;
  std::string summary;  // one line for help text
  bool affine_only;     // needs the closed-form kernel p(x_t | x_0); else every SDE
  std::function<ObjectivePtr(const Json& spec)> make;
};

const std::vector<ObjectiveEntry>& objective_table();
// The row of `name`; throws Error listing the valid names.
const ObjectiveEntry& objective_entry(const std::string& name);
// "  name  summary (SDEs)" lines for the command line's help.
std::string objective_help();

}  // namespace scorekit
