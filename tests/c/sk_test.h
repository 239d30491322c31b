/* Shared by the CMocka suites: status assertions that print the library's message, and small specs. */
#ifndef SK_TEST_H
#define SK_TEST_H

#include <dirent.h>
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

/* This process's own temporary directory, <$TMPDIR or /tmp>/scorekit-c-XXXXXX, made on first use and
 * removed with everything in it when the process exits (kept when SCOREKIT_KEEP_TEST_DIRS is set). */
static char sk_test_dir_[256];

static inline void sk_test_remove_dir_(void) {
  if (!sk_test_dir_[0] || getenv("SCOREKIT_KEEP_TEST_DIRS")) return;
  DIR* d = opendir(sk_test_dir_);
  if (!d) return;
  char path[sizeof sk_test_dir_ + 256];
  for (struct dirent* e; (e = readdir(d));) { /* the suites write plain files only */
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", sk_test_dir_, e->d_name);
    remove(path);
  }
  closedir(d);
  rmdir(sk_test_dir_);
}

static inline const char* sk_test_dir(void) {
  if (!sk_test_dir_[0]) {
    const char* base = getenv("TMPDIR");
    snprintf(sk_test_dir_, sizeof sk_test_dir_, "%s/scorekit-c-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(sk_test_dir_)) {
      fprintf(stderr, "cannot create a temporary directory from %s\n", sk_test_dir_);
      abort();
    }
    atexit(sk_test_remove_dir_);
  }
  return sk_test_dir_;
}

/* A path inside this process's temporary directory. */
static inline void sk_test_path(char* buf, size_t cap, const char* name) {
  snprintf(buf, cap, "%s/%s", sk_test_dir(), name);
}

#endif
