#include "util/spec.hpp"

#include <cmath>

#include "util/error.hpp"

namespace scorekit {

SpecReader::SpecReader(const Json& spec, std::string what) : spec_(spec), what_(std::move(what)) {
  if (!spec_.is_object() && !spec_.is_null())
    throw Error(what_ + " spec must be a JSON object, got: " + spec_.dump());
  seen_.insert("name");
}

const Json* SpecReader::find(const std::string& key) {
  seen_.insert(key);
  if (!spec_.is_object()) return nullptr;
  auto it = spec_.find(key);
  if (it == spec_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool SpecReader::has(const std::string& key) const {
  return spec_.is_object() && spec_.contains(key) && !spec_.at(key).is_null();
}

const Json& SpecReader::raw(const std::string& key) {
  const Json* v = find(key);
  if (!v) throw Error(what_ + ": missing key '" + key + "'");
  return *v;
}

double SpecReader::number(const std::string& key, double fallback) {
  const Json* v = find(key);
  if (!v) return fallback;
  if (!v->is_number()) throw Error(what_ + ": '" + key + "' must be a number, got " + v->dump());
  double x = v->get<double>();
  if (!std::isfinite(x)) throw Error(what_ + ": '" + key + "' must be finite");
  return x;
}

double SpecReader::positive(const std::string& key, double fallback) {
  double x = number(key, fallback);
  if (!(x > 0)) throw Error(what_ + ": '" + key + "' must be > 0, got " + std::to_string(x));
  return x;
}

long long SpecReader::integer(const std::string& key, long long fallback) {
  const Json* v = find(key);
  if (!v) return fallback;
  if (v->is_number_integer()) return v->get<long long>();
  if (v->is_number_float()) {
    double x = v->get<double>();
    if (std::floor(x) == x && std::fabs(x) < 9e15) return static_cast<long long>(x);
  }
  throw Error(what_ + ": '" + key + "' must be an integer, got " + v->dump());
}

long long SpecReader::positive_integer(const std::string& key, long long fallback) {
  long long x = integer(key, fallback);
  if (x <= 0) throw Error(what_ + ": '" + key + "' must be a positive integer, got " + std::to_string(x));
  return x;
}

bool SpecReader::boolean(const std::string& key, bool fallback) {
  const Json* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) throw Error(what_ + ": '" + key + "' must be true or false, got " + v->dump());
  return v->get<bool>();
}

std::string SpecReader::string(const std::string& key, const std::string& fallback) {
  const Json* v = find(key);
  if (!v) return fallback;
  if (!v->is_string()) throw Error(what_ + ": '" + key + "' must be a string, got " + v->dump());
  return v->get<std::string>();
}

std::string SpecReader::choice(const std::string& key, const std::string& fallback,
                               const std::vector<std::string>& allowed) {
  std::string s = string(key, fallback);
  for (const auto& a : allowed)
    if (a == s) return s;
  throw Error(what_ + ": unknown " + key + " '" + s + "'; valid: " + join(allowed));
}

std::vector<long long> SpecReader::integers(const std::string& key, const std::vector<long long>& fallback) {
  const Json* v = find(key);
  if (!v) return fallback;
  if (!v->is_array()) throw Error(what_ + ": '" + key + "' must be an array of integers");
  std::vector<long long> out;
  for (const auto& e : *v) {
    if (!e.is_number_integer()) throw Error(what_ + ": '" + key + "' must be an array of integers");
    out.push_back(e.get<long long>());
  }
  return out;
}

void SpecReader::finish() const {
  if (!spec_.is_object()) return;
  std::vector<std::string> unknown;
  for (auto it = spec_.begin(); it != spec_.end(); ++it)
    if (!seen_.count(it.key())) unknown.push_back(it.key());
  if (unknown.empty()) return;
  std::vector<std::string> valid(seen_.begin(), seen_.end());
  throw Error(what_ + ": unknown key(s) " + join(unknown) + "; valid: " + join(valid));
}

std::string spec_name(const Json& spec, const std::string& what) {
  if (spec.is_string()) return spec.get<std::string>();
  if (!spec.is_object() || !spec.contains("name") || !spec["name"].is_string())
    throw Error(what + " spec needs a string \"name\", got: " + spec.dump());
  return spec["name"].get<std::string>();
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

void unknown_name(const std::string& what, const std::string& name, const std::vector<std::string>& valid) {
  throw Error("unknown " + what + " '" + name + "'; valid: " + join(valid));
}

}  // namespace scorekit
