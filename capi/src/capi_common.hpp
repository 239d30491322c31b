#pragma once
// Shared by the C-ABI translation units: the thread-local error, the guard that turns every C++
// exception into a status code, argument checks, and the per-handle lock.
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "scorekit.h"

namespace scorekit::capi {

void set_error(const std::string& message);
void clear_error();
const char* last_error_cstr();
sk_status fail(sk_status status, const std::string& message);

// An error the C layer raises itself, with the exact status it maps to.
struct Failure {
  sk_status status;
  std::string message;
};
[[noreturn]] void raise(sk_status status, const std::string& message);

// Maps the exception in flight to a status and sets the message, prefixed with `fn`.
// scorekit::IoError → SK_ERR_IO, CheckpointError → SK_ERR_CHECKPOINT, Cancelled → SK_ERR_CANCELLED,
// JSON errors → SK_ERR_SPEC, bad_alloc → SK_ERR_RUNTIME; any other scorekit::Error → `generic`,
// which the caller picks by context (building from a spec: SK_ERR_SPEC; loading: SK_ERR_CHECKPOINT).
sk_status fail_from_current_exception(const char* fn, sk_status generic) noexcept;

// Runs `body` (returning sk_status), clearing the message first and mapping every exception.
template <class F>
sk_status guarded(const char* fn, sk_status generic, F&& body) noexcept {
  clear_error();
  try {
    return body();
  } catch (...) {
    return fail_from_current_exception(fn, generic);
  }
}
template <class F>
sk_status guarded(F&& body) noexcept {
  return guarded("scorekit", SK_ERR_INVALID_ARGUMENT, std::forward<F>(body));
}

// ---- argument checks: each raises SK_ERR_INVALID_ARGUMENT naming the argument ----
template <class T>
void require(const T* p, const char* name) {
  if (!p) raise(SK_ERR_INVALID_ARGUMENT, std::string("'") + name + "' is NULL");
}
// Parses a JSON spec string; malformed JSON raises SK_ERR_SPEC with the parser's position.
nlohmann::json parse_spec(const char* json, const char* name);
// n * dim without overflow, both positive.
size_t element_count(size_t n, size_t dim);
// "(0, T]" with T printed shortest ("(0, 1]" for every SDE but edm): the valid times in messages.
std::string time_range(double T);
// A caller buffer of `have` elements must hold `need`.
void require_room(size_t have, size_t need, const char* name);
// Every value finite (NaN and ±Inf are refused with the index of the first offender).
void require_finite(const float* x, size_t count, const char* name);
void require_finite(const double* x, size_t count, const char* name);
// Copies `text` with its NUL into buf[cap]; *out_len gets strlen(text). buf may be NULL when cap is 0
// (a size query); a non-zero cap that is too small is SK_ERR_INVALID_ARGUMENT.
sk_status copy_string(const std::string& text, char* buf, size_t cap, size_t* out_len);

// One lock per handle: calls on one handle are serialised, distinct handles run in parallel. A
// re-entrant call (from the handle's own progress callback) is refused with SK_ERR_STATE
// instead of deadlocking.
class HandleLock {
 public:
  class Guard {
   public:
    explicit Guard(HandleLock& l) : l_(l) {}
    ~Guard() {
      l_.owner_.store(std::thread::id());
      l_.mutex_.unlock();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    HandleLock& l_;
  };
  Guard acquire(const char* what) {
    if (owner_.load() == std::this_thread::get_id())
      raise(SK_ERR_STATE, std::string("the ") + what + " handle is busy in a call on this thread (from its own progress callback)");
    mutex_.lock();
    owner_.store(std::this_thread::get_id());
    return Guard(*this);
  }

 private:
  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
};

}  // namespace scorekit::capi
