/* scorekit — the stable C ABI.
 * Conventions: every fallible call returns sk_status (SK_OK = 0) and, on failure, sets a
 * thread-local message read with sk_last_error(). No C++ exception crosses this boundary.
 * Handles are opaque; sk_X_free accepts NULL. Configuration travels as JSON strings. */
#ifndef SCOREKIT_H
#define SCOREKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define SK_API __declspec(dllexport)
#else
#define SK_API __attribute__((visibility("default")))
#endif

#define SK_VERSION_MAJOR 0
#define SK_VERSION_MINOR 1
#define SK_VERSION_PATCH 0
/* Bumped whenever a signature or struct layout of this header changes incompatibly. */
#define SK_ABI_VERSION 1

typedef enum sk_status {
  SK_OK = 0,
  SK_ERR_INVALID_ARGUMENT = 1, /* NULL pointer, wrong length, bad shape, NaN input */
  SK_ERR_SPEC = 2,             /* malformed JSON, unknown name or key */
  SK_ERR_IO = 3,               /* a file could not be read or written */
  SK_ERR_CHECKPOINT = 4,       /* a corrupt, truncated, foreign or newer checkpoint */
  SK_ERR_CANCELLED = 5,        /* the progress callback asked to stop */
  SK_ERR_RUNTIME = 6,          /* anything else (diverged training, out of memory, ...) */
  SK_ERR_STATE = 7             /* the handle cannot do this in its current state */
} sk_status;

/* "0.1.0"; never NULL. */
SK_API const char* sk_version(void);
/* The SK_ABI_VERSION the library was built with; compare with the header's. */
SK_API int sk_abi_version(void);
/* The message of the last failed call on this thread ("" if none). Valid until the next call. */
SK_API const char* sk_last_error(void);
/* A short fixed name for a status code ("SK_OK", "SK_ERR_SPEC", ...). */
SK_API const char* sk_status_name(sk_status status);

#ifdef __cplusplus
}
#endif

#endif /* SCOREKIT_H */
