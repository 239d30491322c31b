#pragma once
// The data registry: one row per name. dataset_names(), the command line's help text and the
// "valid: …" errors read this table; adding a data set is one row. Every data set works with
// every SDE, so the rows carry no SDE column.
#include <functional>

#include "data/dataset.hpp"

namespace scorekit {

struct DatasetEntry {
  std::string name;
  std::string summary;  // one line for help text
  std::function<DatasetPtr(const Json& spec)> make;
};

const std::vector<DatasetEntry>& dataset_table();
std::string dataset_help();  // "  name  summary" lines

}  // namespace scorekit
