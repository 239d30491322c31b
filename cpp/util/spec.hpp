#pragma once
// A JSON object read key by key: every key read is remembered, and finish() rejects the keys
// nobody read, listing the accepted ones. New options therefore never pass silently.
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace scorekit {

using Json = nlohmann::json;

class SpecReader {
 public:
  SpecReader(const Json& spec, std::string what);

  double number(const std::string& key, double fallback);
  double positive(const std::string& key, double fallback);
  long long integer(const std::string& key, long long fallback);
  long long positive_integer(const std::string& key, long long fallback);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key, const std::string& fallback);
  // A string restricted to a fixed set of names.
  std::string choice(const std::string& key, const std::string& fallback,
                     const std::vector<std::string>& allowed);
  std::vector<long long> integers(const std::string& key, const std::vector<long long>& fallback);
  bool has(const std::string& key) const;
  const Json& raw(const std::string& key);  // marks the key read; throws if absent
  void ignore(const std::string& key) { seen_.insert(key); }
  void finish() const;  // throws on unknown keys

 private:
  const Json* find(const std::string& key);
  const Json& spec_;
  std::string what_;
  std::set<std::string> seen_;
};

// The "name" field of a spec, which every registry dispatches on.
std::string spec_name(const Json& spec, const std::string& what);

// "a, b, c" for messages.
std::string join(const std::vector<std::string>& names);

// Throws Error naming the unknown value and the valid ones.
[[noreturn]] void unknown_name(const std::string& what, const std::string& name,
                               const std::vector<std::string>& valid);

}  // namespace scorekit
