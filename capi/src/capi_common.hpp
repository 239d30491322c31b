#pragma once
// Shared by the C-ABI translation units: the thread-local error and the guard that turns every
// C++ exception into a status code.
#include <exception>
#include <string>

#include "scorekit.h"

namespace scorekit::capi {

void set_error(const std::string& message);
void clear_error();
const char* last_error_cstr();
sk_status fail(sk_status status, const std::string& message);
sk_status fail_from_current_exception() noexcept;

// Runs `body`, mapping exceptions to status codes; `body` returns sk_status.
template <class F>
sk_status guarded(F&& body) noexcept {
  clear_error();
  try {
    return body();
  } catch (...) {
    return fail_from_current_exception();
  }
}

}  // namespace scorekit::capi
