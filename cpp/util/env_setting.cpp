#include "util/env_setting.hpp"

#include <cstdlib>
#include <limits>

#include "util/error.hpp"

namespace scorekit {

bool env_switch(const char* name, bool fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  const std::string value(v);
  if (value == "0" || value == "1") return value == "1";
  throw Error(std::string(name) + "=" + value + ": expected 0 or 1");
}

int env_count(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  const std::string value(v);
  long n = -1;
  if (value.find_first_not_of("0123456789") == std::string::npos && value.size() <= 9) n = std::stol(value);
  if (n < 0 || n > std::numeric_limits<int>::max())
    throw Error(std::string(name) + "=" + value + ": expected a whole number (0 or more)");
  return static_cast<int>(n);
}

}  // namespace scorekit
