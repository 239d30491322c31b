/* An LD_PRELOAD library that makes file writes fail, or the process die, at a chosen point of a
 * chosen file's life, so the kill-anywhere test can place a SIGKILL inside a checkpoint save.
 *
 * It watches files whose path contains SK_FAULT_FILES (default ".tmp-", the temporary file every
 * atomic save writes) and acts on the SK_FAULT_NTH-th such file this process opens (default 1):
 *   SK_FAULT=kill-write:N   SIGKILL once N bytes of the file are written (the write is cut there)
 *   SK_FAULT=kill-fsync     SIGKILL when the file is flushed (all bytes written, none synced)
 *   SK_FAULT=kill-rename    SIGKILL just before the file is renamed into place
 *   SK_FAULT=kill-renamed   SIGKILL just after it was renamed into place
 * Anything else in SK_FAULT (or nothing) leaves every call alone. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum action { NONE, KILL_WRITE, KILL_FSYNC, KILL_RENAME, KILL_RENAMED };

static enum action act = NONE;
static long long limit;    /* the byte count of kill-write */
static long nth = 1;       /* which watched file (1-based) */
static const char* files = ".tmp-";
static long opened;        /* watched files opened so far */

#define MAX_FD 4096
static long long written[MAX_FD]; /* bytes written to a targeted fd, -1 when not targeted */
static char targeted_path[4096];  /* the targeted file (for rename) */

static void configure(void) __attribute__((constructor));
static void configure(void) {
  for (int i = 0; i < MAX_FD; ++i) written[i] = -1;
  const char* f = getenv("SK_FAULT");
  if (!f) return;
  if (getenv("SK_FAULT_FILES")) files = getenv("SK_FAULT_FILES");
  if (getenv("SK_FAULT_NTH")) nth = atol(getenv("SK_FAULT_NTH"));
  if (!strncmp(f, "kill-write:", 11)) act = KILL_WRITE, limit = atoll(f + 11);
  else if (!strcmp(f, "kill-fsync")) act = KILL_FSYNC;
  else if (!strcmp(f, "kill-rename")) act = KILL_RENAME;
  else if (!strcmp(f, "kill-renamed")) act = KILL_RENAMED;
}

static void die(void) {
  raise(SIGKILL);
  _exit(137); /* not reached */
}

static void* next(const char* name) {
  void* f = dlsym(RTLD_NEXT, name);
  if (!f) {
    fprintf(stderr, "fault_inject: no %s to wrap\n", name);
    abort();
  }
  return f;
}

static void watch(int fd, const char* path) {
  if (act == NONE || fd < 0 || fd >= MAX_FD || !strstr(path, files)) return;
  ++opened;
  if (opened != nth) return;
  written[fd] = 0;
  snprintf(targeted_path, sizeof targeted_path, "%s", path);
}

static int open_with(const char* name, int dirfd, const char* path, int flags, mode_t mode) {
  int fd;
  if (dirfd == -1) {
    int (*real)(const char*, int, ...) = (int (*)(const char*, int, ...))next(name);
    fd = real(path, flags, mode);
  } else {
    int (*real)(int, const char*, int, ...) = (int (*)(int, const char*, int, ...))next(name);
    fd = real(dirfd, path, flags, mode);
  }
  if (fd >= 0 && fd < MAX_FD) written[fd] = -1;
  if (fd >= 0 && (flags & O_CREAT)) watch(fd, path);
  return fd;
}

#define MODE_ARG(flags, mode)              \
  mode_t mode = 0;                         \
  if ((flags) & (O_CREAT | __O_TMPFILE)) { \
    va_list ap;                            \
    va_start(ap, flags);                   \
    mode = va_arg(ap, mode_t);             \
    va_end(ap);                            \
  }

int open(const char* path, int flags, ...) {
  MODE_ARG(flags, mode)
  return open_with("open", -1, path, flags, mode);
}
int open64(const char* path, int flags, ...) {
  MODE_ARG(flags, mode)
  return open_with("open64", -1, path, flags, mode);
}
int openat(int dirfd, const char* path, int flags, ...) {
  MODE_ARG(flags, mode)
  return open_with("openat", dirfd, path, flags, mode);
}

ssize_t write(int fd, const void* buf, size_t count) {
  static ssize_t (*real)(int, const void*, size_t);
  if (!real) real = (ssize_t(*)(int, const void*, size_t))next("write");
  if (act != KILL_WRITE || fd < 0 || fd >= MAX_FD || written[fd] < 0) return real(fd, buf, count);
  const long long room = limit - written[fd];
  if (room <= 0) die();
  if ((long long)count > room) count = (size_t)room; /* the write is cut at the chosen byte */
  const ssize_t n = real(fd, buf, count);
  if (n > 0) written[fd] += n;
  if (written[fd] >= limit) die();
  return n;
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))next("fsync");
  if (act == KILL_FSYNC && fd >= 0 && fd < MAX_FD && written[fd] >= 0) die();
  return real(fd);
}

int close(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))next("close");
  if (fd >= 0 && fd < MAX_FD) written[fd] = -1;
  return real(fd);
}

int rename(const char* from, const char* to) {
  static int (*real)(const char*, const char*);
  if (!real) real = (int (*)(const char*, const char*))next("rename");
  const int targeted = targeted_path[0] && !strcmp(from, targeted_path);
  if (targeted && act == KILL_RENAME) die();
  const int rc = real(from, to);
  if (targeted && act == KILL_RENAMED) die();
  return rc;
}
