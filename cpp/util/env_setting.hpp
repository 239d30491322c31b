#pragma once
// Settings read from the environment, parsed strictly: a variable that is set to something
// malformed is an Error naming the variable and its value, never silently the default.
#include <string>

namespace scorekit {

// "0" or "1"; unset or empty: `fallback`.
bool env_switch(const char* name, bool fallback);
// A whole number ≥ 0; unset or empty: `fallback`.
int env_count(const char* name, int fallback);

}  // namespace scorekit
