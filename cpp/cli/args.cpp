#include "cli/args.hpp"

#include <cmath>
#include <cstdlib>

#include "util/error.hpp"
#include "util/spec.hpp"

namespace scorekit::cli {

Args::Args(int argc, char** argv, int first, const std::set<std::string>& flags) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) throw Error("unexpected argument '" + a + "'; options look like --name value");
    std::string key = a.substr(2), value;
    const auto eq = key.find('=');
    if (eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (flags.count(key)) {
      value = "1";
    } else {
      if (i + 1 >= argc) throw Error("option --" + key + " needs a value");
      value = argv[++i];
    }
    values_[key] = value;
  }
}

std::string Args::text(const std::string& key, const std::string& fallback) {
  seen_.insert(key);
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& key) {
  seen_.insert(key);
  auto it = values_.find(key);
  if (it == values_.end() || it->second.empty()) throw Error("missing required option --" + key);
  return it->second;
}

long long Args::integer(const std::string& key, long long fallback) {
  const std::string s = text(key);
  if (s.empty()) return fallback;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end) throw Error("--" + key + " must be an integer, got '" + s + "'");
  return v;
}

long long Args::positive(const std::string& key, long long fallback) {
  const long long v = integer(key, fallback);
  if (v <= 0) throw Error("--" + key + " must be a positive integer, got " + std::to_string(v));
  return v;
}

double Args::number(const std::string& key, double fallback) {
  const std::string s = text(key);
  if (s.empty()) return fallback;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (*end || !std::isfinite(v)) throw Error("--" + key + " must be a finite number, got '" + s + "'");
  return v;
}

bool Args::flag(const std::string& key) { return text(key) == "1"; }

void Args::finish(const std::string& command) const {
  std::vector<std::string> unknown, valid;
  for (const auto& k : seen_) valid.push_back("--" + k);
  for (const auto& kv : values_)
    if (!seen_.count(kv.first)) unknown.push_back("--" + kv.first);
  if (!unknown.empty())
    throw Error("scorekit " + command + ": unknown option(s) " + join(unknown) + "; valid: " + join(valid));
}

}  // namespace scorekit::cli
