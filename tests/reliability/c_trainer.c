/* Trains through libscorekit alone, saving a checkpoint every EVERY steps and resuming from CKPT
 * when it exists, until TOTAL steps are done:
 *   c_trainer SPEC_FILE CKPT TOTAL EVERY
 * The C-API half of the kill-anywhere test, which SIGKILLs it at random moments and restarts it.
 * Prints {"step": N} at the end; exit status 1 with the library's message on any failure. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "scorekit.h"

static int check(sk_status s, const char* what) {
  if (s == SK_OK) return 0;
  fprintf(stderr, "c_trainer: %s: %s: %s\n", what, sk_status_name(s), sk_last_error());
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s SPEC_FILE CKPT TOTAL EVERY\n", argv[0]);
    return 2;
  }
  const char* ckpt = argv[2];
  const int64_t total = atoll(argv[3]), every = atoll(argv[4]);
  static char spec[1 << 16];
  FILE* f = fopen(argv[1], "rb");
  if (!f) return check(SK_ERR_IO, "cannot open the spec file");
  spec[fread(spec, 1, sizeof spec - 1, f)] = '\0';
  fclose(f);

  sk_trainer* t = NULL;
  if (access(ckpt, F_OK) == 0) {
    if (check(sk_trainer_load(ckpt, &t), "resume")) return 1;
  } else if (check(sk_trainer_create(spec, &t), "create")) {
    return 1;
  }
  int64_t step = 0;
  if (check(sk_trainer_step_count(t, &step), "step count")) return 1;
  while (step < total) {
    int64_t n = every - step % every;
    if (step + n > total) n = total - step;
    if (check(sk_trainer_train(t, n, NULL, NULL), "train") || check(sk_trainer_save(t, ckpt), "save")) return 1;
    step += n;
  }
  sk_trainer_free(t);
  printf("{\"step\": %lld}\n", (long long)step);
  return 0;
}
