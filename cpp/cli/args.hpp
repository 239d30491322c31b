#pragma once
// A small --key value parser for the scorekit command line; every option read is remembered so
// unknown ones are rejected with the list of accepted ones.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace scorekit::cli {

class Args {
 public:
  Args(int argc, char** argv, int first, const std::set<std::string>& flags);
  std::string text(const std::string& key, const std::string& fallback = "");
  std::string required(const std::string& key);
  long long integer(const std::string& key, long long fallback);
  long long positive(const std::string& key, long long fallback);
  double number(const std::string& key, double fallback);
  bool flag(const std::string& key);
  bool has(const std::string& key) const { return values_.count(key) > 0; }
  void finish(const std::string& command) const;  // throws on options nobody read

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> seen_;
};

}  // namespace scorekit::cli
