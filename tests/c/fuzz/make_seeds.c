/* Writes the fuzz seed corpus into argv[1]: real checkpoints of tiny trainers (before and after
 * the first step, so with and without optimiser state, and of two SDEs) plus a few damaged
 * variants. Regenerated on every fuzz run, so no binary seeds live in the repository. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scorekit.h"

static int save(const char* dir, const char* name, const char* spec, int steps) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  sk_trainer* t = NULL;
  sk_status s = sk_trainer_create(spec, &t);
  if (s == SK_OK && steps > 0) s = sk_trainer_train(t, steps, NULL, NULL);
  if (s == SK_OK) s = sk_trainer_save(t, path);
  sk_trainer_free(t);
  if (s != SK_OK) fprintf(stderr, "make_seeds: %s: %s\n", name, sk_last_error());
  return s == SK_OK ? 0 : 1;
}

/* A copy of dir/from cut to `keep` bytes (or with one byte flipped at `flip` when keep is 0). */
static int derive(const char* dir, const char* from, const char* to, long keep, long flip) {
  char src[1024], dst[1024];
  snprintf(src, sizeof src, "%s/%s", dir, from);
  snprintf(dst, sizeof dst, "%s/%s", dir, to);
  FILE* f = fopen(src, "rb");
  if (!f) return 1;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  if (keep > 0 && (size_t)keep < n) n = (size_t)keep;
  if (flip >= 0 && (size_t)flip < n) buf[flip] ^= 0x40;
  f = fopen(dst, "wb");
  if (!f) return 1;
  fwrite(buf, 1, n, f);
  fclose(f);
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const char* d = argv[1];
  const char* tiny = "{\"data\": \"moons\", \"model\": {\"name\": \"mlp\", \"hidden\": 3, \"depth\": 1, \"time_dim\": 2},"
                     " \"train\": {\"batch\": 4}}";
  const char* ve = "{\"data\": \"8gaussians\", \"sde\": \"ve\", \"model\": {\"name\": \"mlp\", \"hidden\": 2, "
                   "\"depth\": 1, \"time_dim\": 2, \"embedding\": \"sinusoidal\"}, \"train\": {\"batch\": 4}}";
  int bad = save(d, "step0.skc", tiny, 0) + save(d, "step1.skc", tiny, 1) + save(d, "ve.skc", ve, 2);
  bad += derive(d, "step1.skc", "truncated.skc", 100, -1) + derive(d, "step1.skc", "flipped.skc", 0, 40);
  return bad ? 1 : 0;
}
