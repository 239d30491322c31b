/* Shared by the CMocka suites: status assertions that print the library's message, and small specs. */
#ifndef SK_TEST_H
#define SK_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scorekit.h"

/* The call must succeed; on failure the status name and message are shown. */
#define SK_ASSERT_OK(call)                                                                        \
  do {                                                                                            \
    sk_status sk_s_ = (call);                                                                     \
    if (sk_s_ != SK_OK) fail_msg("%s -> %s: %s", #call, sk_status_name(sk_s_), sk_last_error()); \
  } while (0)

/* The call must fail with `status` and a message containing `fragment`. */
#define SK_EXPECT_FAIL(call, status, fragment)                                                              \
  do {                                                                                                      \
    sk_status sk_s_ = (call);                                                                               \
    if (sk_s_ != (status))                                                                                  \
      fail_msg("%s -> %s (want %s): %s", #call, sk_status_name(sk_s_), sk_status_name(status), sk_last_error()); \
    if (!strstr(sk_last_error(), (fragment)))                                                               \
      fail_msg("%s: message \"%s\" lacks \"%s\"", #call, sk_last_error(), (fragment));                      \
  } while (0)

/* A training spec small enough for valgrind. */
#define SK_TEST_SPEC                                                                                    \
  "{\"data\": \"moons\", \"sde\": \"vp\", \"model\": {\"name\": \"mlp\", \"hidden\": 16, \"depth\": 1, " \
  "\"time_dim\": 8}, \"objective\": \"dsm\", \"train\": {\"batch\": 32, \"seed\": 7, \"warmup\": 5}}"

/* A path in the test's temporary directory ($TMPDIR or /tmp), unique per process. */
static inline void sk_test_path(char* buf, size_t cap, const char* name) {
  const char* dir = getenv("TMPDIR");
  snprintf(buf, cap, "%s/sk_c_%ld_%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
}

#endif
