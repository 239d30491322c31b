#include "capi_common.hpp"

#include <new>

#include "util/error.hpp"
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

sk_status fail_from_current_exception() noexcept {
  try {
    throw;
  } catch (const Cancelled& e) {
    return fail(SK_ERR_CANCELLED, e.what());
  } catch (const Error& e) {
    const std::string m = e.what();
    if (m.rfind("checkpoint", 0) == 0) return fail(SK_ERR_CHECKPOINT, m);
    if (m.find("cannot open") != std::string::npos || m.find("cannot write") != std::string::npos) return fail(SK_ERR_IO, m);
    if (m.find("unknown") != std::string::npos || m.find("spec") != std::string::npos) return fail(SK_ERR_SPEC, m);
    return fail(SK_ERR_INVALID_ARGUMENT, m);
  } catch (const std::bad_alloc&) {
    return fail(SK_ERR_RUNTIME, "out of memory");
  } catch (const std::exception& e) {
    return fail(SK_ERR_RUNTIME, e.what());
  } catch (...) {
    return fail(SK_ERR_RUNTIME, "unknown internal error");
  }
}

}  // namespace scorekit::capi

using namespace scorekit::capi;

extern "C" {

const char* sk_version(void) { return SCOREKIT_VERSION_STRING; }
int sk_abi_version(void) { return SK_ABI_VERSION; }
const char* sk_last_error(void) { return last_error_cstr(); }

const char* sk_status_name(sk_status status) {
  switch (status) {
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
