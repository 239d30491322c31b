#pragma once
// What every registry table (one row per name: objectives, SDEs, samplers, models, data sets) derives
// the same way: its list of names and the lines of its help text.
#include <cstdio>
#include <string>
#include <vector>

namespace scorekit {

// The names of a table's rows, in table order.
template <class Table>
std::vector<std::string> names_of(const Table& table) {
  std::vector<std::string> names;
  for (const auto& row : table) names.emplace_back(row.name);
  return names;
}

// One help line: "  name            summary", with " (note)" when a note is given.
inline std::string help_line(const std::string& name, const std::string& summary, const std::string& note = "") {
  char line[256];
  std::snprintf(line, sizeof line, "  %-15s %s%s%s%s\n", name.c_str(), summary.c_str(), note.empty() ? "" : " (",
                note.c_str(), note.empty() ? "" : ")");
  return line;
}

}  // namespace scorekit
