#include "capi_common.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <sstream>

#include "util/build_info.hpp"
#include "util/error.hpp"
#include "util/error_text.hpp"
#include "util/keep_freed_memory.hpp"
#include "version.hpp"

namespace scorekit::capi {

namespace {
thread_local std::string last_error;
}

void set_error(const std::string& message) { last_error = message; }
const char* last_error_cstr() { return last_error.c_str(); }
void clear_error() { last_error.clear(); }

sk_status fail(sk_status status, const std::string& message) {
  set_error(message);
  return status;
}

void raise(sk_status status, const std::string& message) { throw Failure{status, message}; }

sk_status fail_from_current_exception(const char* fn, sk_status generic) noexcept {
  const std::string prefix = std::string(fn) + ": ";
  try {
    throw;
  } catch (const Failure& f) {
    return fail(f.status, prefix + f.message);
  } catch (const Cancelled& e) {
    return fail(SK_ERR_CANCELLED, prefix + e.what());
  } catch (const IoError& e) {
    return fail(SK_ERR_IO, prefix + e.what());
  } catch (const CheckpointError& e) {
    return fail(SK_ERR_CHECKPOINT, prefix + e.what());
  } catch (const Error& e) {
    return fail(generic, prefix + e.what());
  } catch (const nlohmann::json::exception& e) {
    return fail(SK_ERR_SPEC, prefix + "bad spec value: " + e.what());
  } catch (const std::bad_alloc&) {
    return fail(SK_ERR_RUNTIME, prefix + "out of memory");
  } catch (const std::exception& e) {
    return fail(SK_ERR_RUNTIME, prefix + error_text(e));  // LibTorch's errors without their C++ backtrace
  } catch (...) {
    return fail(SK_ERR_RUNTIME, prefix + "unknown internal error");
  }
}

nlohmann::json parse_spec(const char* json, const char* name) {
  require(json, name);
  try {
    return nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    raise(SK_ERR_SPEC, std::string("'") + name + "' is not valid JSON: " + e.what());
  }
}

size_t element_count(size_t n, size_t dim) {
  if (n == 0) raise(SK_ERR_INVALID_ARGUMENT, "n must be positive");
  if (dim == 0) raise(SK_ERR_INVALID_ARGUMENT, "dim must be positive");
  // Tensors index with int64_t; refuse counts no real buffer can have.
  if (n > static_cast<size_t>(std::numeric_limits<int64_t>::max()) / dim)
    raise(SK_ERR_INVALID_ARGUMENT, "n * dim overflows (n = " + std::to_string(n) + ", dim = " + std::to_string(dim) + ")");
  return n * dim;
}

void require_room(size_t have, size_t need, const char* name) {
  if (have < need)
    raise(SK_ERR_INVALID_ARGUMENT, std::string("'") + name + "' holds " + std::to_string(have) + " values but " +
                                       std::to_string(need) + " are needed");
}

namespace {
template <typename T>
void require_finite_values(const T* x, size_t count, const char* name) {
  for (size_t i = 0; i < count; ++i)
    if (!std::isfinite(x[i]))
      raise(SK_ERR_INVALID_ARGUMENT, std::string("'") + name + "' has a non-finite value (" + std::to_string(x[i]) +
                                         ") at index " + std::to_string(i));
}
}  // namespace

void require_finite(const float* x, size_t count, const char* name) { require_finite_values(x, count, name); }
void require_finite(const double* x, size_t count, const char* name) { require_finite_values(x, count, name); }

sk_status copy_string(const std::string& text, char* buf, size_t cap, size_t* out_len) {
  if (!buf && cap != 0) raise(SK_ERR_INVALID_ARGUMENT, "'buf' is NULL but 'cap' is " + std::to_string(cap));
  if (out_len) *out_len = text.size();
  if (cap == 0) return SK_OK;
  if (cap < text.size() + 1)
    raise(SK_ERR_INVALID_ARGUMENT, "'buf' has " + std::to_string(cap) + " bytes but the text needs " +
                                       std::to_string(text.size() + 1) + " (with its NUL)");
  std::memcpy(buf, text.c_str(), text.size() + 1);
  return SK_OK;
}

std::string time_range(double T) {
  std::ostringstream os;
  os << T;
  return "(0, " + os.str() + "]";
}

}  // namespace scorekit::capi

using namespace scorekit::capi;

extern "C" {

const char* sk_version(void) { return SCOREKIT_VERSION_STRING; }

sk_status sk_build_info(char* buf, size_t cap, size_t* out_len) {
  return guarded("sk_build_info", SK_ERR_RUNTIME, [&] { return copy_string(scorekit::build_info().dump(), buf, cap, out_len); });
}
sk_status sk_keep_freed_memory(void) {
  return guarded("sk_keep_freed_memory", SK_ERR_RUNTIME, [&] {
    if (!scorekit::keep_freed_memory())
      throw scorekit::Error("malloc took no thresholds: this process does not allocate through glibc's malloc "
                            "(another C library, or an allocator such as a sanitizer's in front of it)");
    return SK_OK;
  });
}
int sk_abi_version(void) { return SK_ABI_VERSION; }
const char* sk_last_error(void) { return last_error_cstr(); }

const char* sk_status_name(sk_status status) {
  // A C caller may pass any int. In C++, reading an enum holding a value outside its enumerators'
  // range is undefined (UBSan -fsanitize=enum flagged it), so read the bytes as an int.
  int code;
  static_assert(sizeof code == sizeof status, "sk_status is an int in C");
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case SK_OK: return "SK_OK";
    case SK_ERR_INVALID_ARGUMENT: return "SK_ERR_INVALID_ARGUMENT";
    case SK_ERR_SPEC: return "SK_ERR_SPEC";
    case SK_ERR_IO: return "SK_ERR_IO";
    case SK_ERR_CHECKPOINT: return "SK_ERR_CHECKPOINT";
    case SK_ERR_CANCELLED: return "SK_ERR_CANCELLED";
    case SK_ERR_RUNTIME: return "SK_ERR_RUNTIME";
    case SK_ERR_STATE: return "SK_ERR_STATE";
  }
  return "SK_UNKNOWN_STATUS";
}

}  // extern "C"
