#pragma once
// Runs the scorekit command line from a test and returns its last stdout line (the JSON result).
#include <cstdio>
#include <string>

inline std::string cli_last_line(const std::string& command) {
  std::string out;
  if (FILE* p = popen((command + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  const auto end = out.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const auto nl = out.find_last_of('\n', end);
  const auto start = nl == std::string::npos ? 0 : nl + 1;
  return out.substr(start, end - start + 1);
}
