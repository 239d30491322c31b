/* Helper for test_c_crash_save: builds a trainer large enough that saving takes a while, takes one
 * step and saves it to argv[1]. The test kills this process while the save is in flight. */
#include <stdio.h>

#include "scorekit.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s CHECKPOINT\n", argv[0]);
    return 2;
  }
  sk_trainer* t = NULL;
  sk_status s = sk_trainer_create("{\"data\": \"moons\", \"model\": {\"name\": \"mlp\", \"hidden\": 768, \"depth\": 4}, "
                                  "\"train\": {\"batch\": 8}}", &t);
  if (s == SK_OK) s = sk_trainer_step(t, NULL);
  if (s == SK_OK) s = sk_trainer_save(t, argv[1]);
  if (s != SK_OK) fprintf(stderr, "ckpt_writer: %s: %s\n", sk_status_name(s), sk_last_error());
  sk_trainer_free(t);
  return s == SK_OK ? 0 : 1;
}
