/* A process killed (SIGKILL) in the middle of saving a checkpoint leaves the previous checkpoint at
 * that path intact and loadable. The writer is a separate program (ckpt_writer) so the kill is
 * real; the test watches for its temporary file and kills it as soon as the file appears.
 * A save that runs out of room part-way (here: over the file-size limit) fails with SK_ERR_IO and
 * the system's reason, leaves the previous checkpoint intact, and the trainer carries on. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "sk_test.h"

extern char** environ;

#ifndef SK_CKPT_WRITER
#error "SK_CKPT_WRITER must name the ckpt_writer program"
#endif

static char* slurp(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  char* b = malloc(*size ? *size : 1);
  assert_int_equal(fread(b, 1, *size, f), *size);
  fclose(f);
  return b;
}

/* Runs the writer and kills it once its temporary file has data. Returns 1 if the kill landed before
 * the rename (the temporary file is still there), 0 if the writer finished first. */
static int kill_mid_save(const char* path, long* tmp_size) {
  pid_t pid;
  char* argv[] = {(char*)SK_CKPT_WRITER, (char*)path, NULL};
  assert_int_equal(posix_spawn(&pid, SK_CKPT_WRITER, NULL, NULL, argv, environ), 0);
  char tmp[600];
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)pid);
  const struct timespec pause = {0, 100000}; /* 0.1 ms */
  struct stat st;
  int status = 0, seen = 0;
  for (long i = 0; i < 1200000; ++i) { /* two minutes at most */
    if (stat(tmp, &st) == 0 && st.st_size > 0) { /* bytes are going in: the save is under way */
      kill(pid, SIGKILL);
      seen = 1;
      break;
    }
    if (waitpid(pid, &status, WNOHANG) == pid) return 0; /* finished (or failed) before we saw it */
    nanosleep(&pause, NULL);
  }
  if (!seen) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    fail_msg("the writer never created %s", tmp);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) return 0;
  if (stat(tmp, &st) != 0) return 0; /* renamed just before the kill */
  *tmp_size = (long)st.st_size;
  remove(tmp);
  return 1;
}

static void killed_save_leaves_old_checkpoint(void** state) {
  (void)state;
  char path[512];
  sk_test_path(path, sizeof path, "crash.skc");
  sk_trainer* t = NULL;
  SK_ASSERT_OK(sk_trainer_create(SK_TEST_SPEC, &t));
  SK_ASSERT_OK(sk_trainer_train(t, 3, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_save(t, path));
  sk_trainer_free(t);
  size_t old_size = 0;
  char* old = slurp(path, &old_size);

  int landed = 0;
  long tmp_size = -1;
  for (int attempt = 0; attempt < 5 && !landed; ++attempt) {
    landed = kill_mid_save(path, &tmp_size);
    if (!landed) { /* the writer won the race: restore the old checkpoint and try again */
      FILE* f = fopen(path, "wb");
      assert_non_null(f);
      assert_int_equal(fwrite(old, 1, old_size, f), old_size);
      fclose(f);
    }
  }
  if (!landed) fail_msg("could not kill the writer mid-save in 5 attempts");
  print_message("killed the writer with %ld bytes in its temporary file\n", tmp_size);

  size_t now_size = 0;
  char* now = slurp(path, &now_size);
  assert_int_equal(now_size, old_size);
  assert_memory_equal(now, old, old_size);
  sk_trainer* back = NULL;
  SK_ASSERT_OK(sk_trainer_load(path, &back));
  int64_t step = 0;
  SK_ASSERT_OK(sk_trainer_step_count(back, &step));
  assert_int_equal(step, 3);
  sk_trainer_free(back);
  free(old);
  free(now);
  remove(path);
}

static void save_over_the_size_limit_fails_cleanly(void** state) {
  (void)state;
  char path[512], straight[512];
  sk_test_path(path, sizeof path, "full.skc");
  sk_test_path(straight, sizeof straight, "straight.skc");
  sk_trainer* t = NULL;
  SK_ASSERT_OK(sk_trainer_create(SK_TEST_SPEC, &t));
  SK_ASSERT_OK(sk_trainer_train(t, 3, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_save(t, path));
  size_t old_size = 0;
  char* old = slurp(path, &old_size);

  /* Room for half a checkpoint: write() stops part-way, then fails with EFBIG. */
  struct rlimit saved, small;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
  void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
  small = saved;
  small.rlim_cur = old_size / 2;
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  SK_ASSERT_OK(sk_trainer_train(t, 2, NULL, NULL));
  const sk_status s = sk_trainer_save(t, path);
  char message[1024];
  snprintf(message, sizeof message, "%s", sk_last_error());
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
  signal(SIGXFSZ, handler);
  print_message("the failed save said: %s\n", message);
  assert_int_equal(s, SK_ERR_IO);
  assert_non_null(strstr(message, path));
  assert_non_null(strstr(message, "File too large"));

  size_t now_size = 0;
  char* now = slurp(path, &now_size);
  assert_int_equal(now_size, old_size);
  assert_memory_equal(now, old, old_size);

  /* The trainer carries on: 5 more steps give what 10 undisturbed steps give. */
  SK_ASSERT_OK(sk_trainer_train(t, 5, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_save(t, path));
  sk_trainer* u = NULL;
  SK_ASSERT_OK(sk_trainer_create(SK_TEST_SPEC, &u));
  SK_ASSERT_OK(sk_trainer_train(u, 10, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_save(u, straight));
  size_t a_size = 0, b_size = 0;
  char *a = slurp(path, &a_size), *b = slurp(straight, &b_size);
  assert_int_equal(a_size, b_size);
  assert_memory_equal(a, b, a_size);
  sk_trainer_free(t);
  sk_trainer_free(u);
  free(old);
  free(now);
  free(a);
  free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(killed_save_leaves_old_checkpoint),
                                     cmocka_unit_test(save_over_the_size_limit_fails_cleanly)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
