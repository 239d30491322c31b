/* The C ABI for training: trainers, progress and cancellation, metrics, checkpoints (save, load,
 * bit-for-bit resume, and every kind of damaged file). */
#include <math.h>

#include "sk_test.h"

static sk_trainer* new_trainer(void) {
  sk_trainer* t = NULL;
  SK_ASSERT_OK(sk_trainer_create(SK_TEST_SPEC, &t));
  return t;
}

static void trainer_create_errors(void** state) {
  (void)state;
  sk_trainer* t = NULL;
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"spiral\"}", &t), SK_ERR_SPEC, "2spirals");
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\", \"sde\": \"vv\"}", &t), SK_ERR_SPEC, "subvp");
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\", \"train\": {\"batchsize\": 3}}", &t), SK_ERR_SPEC, "batchsize");
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\", \"train\": {\"batch\": 0}}", &t), SK_ERR_SPEC, "batch");
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\", \"extra\": 1}", &t), SK_ERR_SPEC, "unknown key 'extra'");
  SK_EXPECT_FAIL(sk_trainer_create("{\"sde\": \"vp\"}", &t), SK_ERR_SPEC, "needs \"data\"");
  SK_EXPECT_FAIL(sk_trainer_create("[]", &t), SK_ERR_SPEC, "JSON object");
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\",}", &t), SK_ERR_SPEC, "not valid JSON");
  SK_EXPECT_FAIL(sk_trainer_create(NULL, &t), SK_ERR_INVALID_ARGUMENT, "'spec_json' is NULL");
  SK_EXPECT_FAIL(sk_trainer_create(SK_TEST_SPEC, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  /* LibTorch's own errors (here its allocator refusing petabytes) arrive as text, without the C++
   * backtrace that c10::Error::what() carries. */
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\", \"model\": {\"name\": \"mlp\", \"hidden\": 10000000000000, "
                                   "\"depth\": 1}}", &t), SK_ERR_RUNTIME, "allocate");
  assert_null(strstr(sk_last_error(), "Exception raised from"));
  assert_null(strstr(sk_last_error(), "frame #"));
  assert_null(t);
}

static void steps_and_metrics(void** state) {
  (void)state;
  sk_trainer* t = new_trainer();
  int64_t step = -1;
  double loss = -1;
  SK_ASSERT_OK(sk_trainer_step_count(t, &step));
  assert_int_equal(step, 0);
  SK_ASSERT_OK(sk_trainer_step(t, &loss));
  assert_true(isfinite(loss) && loss > 0);
  SK_ASSERT_OK(sk_trainer_step(t, NULL));
  SK_ASSERT_OK(sk_trainer_step_count(t, &step));
  assert_int_equal(step, 2);
  double last = -1;
  SK_ASSERT_OK(sk_trainer_last_loss(t, &last));
  assert_true(isfinite(last) && last != loss);

  char buf[1024];
  size_t len = 0;
  SK_ASSERT_OK(sk_trainer_metrics(t, buf, sizeof buf, &len));
  assert_non_null(strstr(buf, "\"step\":2"));
  assert_non_null(strstr(buf, "\"grad_norm\""));
  SK_ASSERT_OK(sk_trainer_train(t, 3, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_metrics(t, buf, sizeof buf, &len));
  assert_non_null(strstr(buf, "\"step\":5"));
  assert_non_null(strstr(buf, "\"steps_per_s\""));
  SK_ASSERT_OK(sk_trainer_spec(t, NULL, 0, &len));
  assert_true(len > 0);
  SK_ASSERT_OK(sk_trainer_spec(t, buf, sizeof buf, NULL));
  assert_non_null(strstr(buf, "\"beta_max\"")); /* the resolved spec carries every default */

  SK_EXPECT_FAIL(sk_trainer_step(NULL, &loss), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_train(NULL, 3, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_train(t, 0, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "steps must be positive, got 0");
  SK_EXPECT_FAIL(sk_trainer_train(t, -4, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "got -4");
  SK_EXPECT_FAIL(sk_trainer_step_count(NULL, &step), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_step_count(t, NULL), SK_ERR_INVALID_ARGUMENT, "'out_step' is NULL");
  SK_EXPECT_FAIL(sk_trainer_last_loss(NULL, &last), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_last_loss(t, NULL), SK_ERR_INVALID_ARGUMENT, "'out_loss' is NULL");
  SK_EXPECT_FAIL(sk_trainer_metrics(NULL, buf, sizeof buf, NULL), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_metrics(t, buf, 4, NULL), SK_ERR_INVALID_ARGUMENT, "has 4 bytes");
  SK_EXPECT_FAIL(sk_trainer_spec(NULL, buf, sizeof buf, NULL), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_spec(t, NULL, 8, NULL), SK_ERR_INVALID_ARGUMENT, "'buf' is NULL");
  sk_trainer_free(t);
}

static void divergence_is_a_runtime_error(void** state) {
  (void)state;
  sk_trainer* t = NULL;
  /* A learning rate of 1e30 without clipping sends the weights to Inf within a few steps. */
  SK_ASSERT_OK(sk_trainer_create("{\"data\": \"moons\", \"model\": {\"name\": \"mlp\", \"hidden\": 8, \"depth\": 1}, "
                                 "\"train\": {\"lr\": 1e30, \"warmup\": 0, \"grad_clip\": 0, \"batch\": 16}}", &t));
  SK_EXPECT_FAIL(sk_trainer_train(t, 50, NULL, NULL), SK_ERR_RUNTIME, "training diverged");
  sk_trainer_free(t);
}

typedef struct {
  int calls;
  int stop_at;
  int64_t last_step;
  double last_loss;
} cancel_state;

static int progress_cb(void* user, const sk_progress* p) {
  cancel_state* c = (cancel_state*)user;
  ++c->calls;
  assert_int_equal(p->done, c->calls);
  c->last_step = p->step;
  c->last_loss = p->loss;
  return p->done == c->stop_at;
}

static void progress_and_cancellation(void** state) {
  (void)state;
  sk_trainer* t = new_trainer();
  cancel_state c = {0, 3, 0, 0};
  SK_EXPECT_FAIL(sk_trainer_train(t, 10, progress_cb, &c), SK_ERR_CANCELLED, "cancelled by the progress callback");
  assert_int_equal(c.calls, 3);
  assert_int_equal(c.last_step, 3);
  assert_true(isfinite(c.last_loss));
  int64_t step = 0;
  SK_ASSERT_OK(sk_trainer_step_count(t, &step));
  assert_int_equal(step, 3); /* the steps before the cancel are kept */
  double loss = 0;
  SK_ASSERT_OK(sk_trainer_last_loss(t, &loss));
  assert_true(loss == c.last_loss);
  c = (cancel_state){0, -1, 0, 0};
  SK_ASSERT_OK(sk_trainer_train(t, 4, progress_cb, &c)); /* the trainer stays usable */
  assert_int_equal(c.calls, 4);
  assert_int_equal(c.last_step, 7);
  sk_trainer_free(t);
}

typedef struct {
  sk_trainer* trainer;
  sk_status inner;
  char message[256];
} reentry_state;

static int reenter(void* user, const sk_progress* p) {
  (void)p;
  reentry_state* r = (reentry_state*)user;
  r->inner = sk_trainer_step(r->trainer, NULL);
  snprintf(r->message, sizeof r->message, "%s", sk_last_error());
  return 1;
}

static void callback_may_not_reenter_its_trainer(void** state) {
  (void)state;
  reentry_state r = {new_trainer(), SK_OK, ""};
  SK_EXPECT_FAIL(sk_trainer_train(r.trainer, 5, reenter, &r), SK_ERR_CANCELLED, "cancelled");
  assert_int_equal(r.inner, SK_ERR_STATE);
  assert_non_null(strstr(r.message, "busy"));
  sk_trainer_free(r.trainer);
}

/* Scores of the trainer's EMA snapshot at fixed points: a fingerprint of the weights. */
static void fingerprint(sk_trainer* t, float out[8]) {
  sk_model* m = NULL;
  const float x[8] = {0.5f, -0.5f, 1, 1, -1, 2, 0, 0};
  const float tt[1] = {0.3f};
  SK_ASSERT_OK(sk_trainer_model(t, &m));
  SK_ASSERT_OK(sk_model_score(m, x, 4, 2, tt, 1, out, 8));
  sk_model_free(m);
}

static void save_load_and_resume_bit_for_bit(void** state) {
  (void)state;
  char path[512];
  sk_test_path(path, sizeof path, "resume.skc");
  sk_trainer* straight = new_trainer();
  SK_ASSERT_OK(sk_trainer_train(straight, 8, NULL, NULL));

  sk_trainer* first = new_trainer();
  SK_ASSERT_OK(sk_trainer_train(first, 4, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_save(first, path));
  sk_trainer_free(first);
  sk_trainer* resumed = NULL;
  SK_ASSERT_OK(sk_trainer_load(path, &resumed));
  int64_t step = 0;
  SK_ASSERT_OK(sk_trainer_step_count(resumed, &step));
  assert_int_equal(step, 4);
  SK_ASSERT_OK(sk_trainer_train(resumed, 4, NULL, NULL));

  float a[8], b[8];
  fingerprint(straight, a);
  fingerprint(resumed, b);
  assert_memory_equal(a, b, sizeof a);
  double la = 0, lb = 0;
  SK_ASSERT_OK(sk_trainer_last_loss(straight, &la));
  SK_ASSERT_OK(sk_trainer_last_loss(resumed, &lb));
  assert_true(la == lb);

  /* A model loaded from the checkpoint is the EMA network at step 4. */
  sk_model* m = NULL;
  SK_ASSERT_OK(sk_model_load(path, &m));
  size_t dim = 0;
  SK_ASSERT_OK(sk_model_dim(m, &dim));
  assert_int_equal(dim, 2);
  sk_model_free(m);

  SK_EXPECT_FAIL(sk_trainer_save(NULL, path), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_save(resumed, NULL), SK_ERR_INVALID_ARGUMENT, "'path' is NULL");
  SK_EXPECT_FAIL(sk_trainer_save(resumed, ""), SK_ERR_INVALID_ARGUMENT, "'path' is empty");
  SK_EXPECT_FAIL(sk_trainer_save(resumed, "/nonexistent-dir/x.skc"), SK_ERR_IO, "cannot write '/nonexistent-dir/x.skc'");
  sk_trainer* none = first; /* a failed load sets *out to NULL */
  SK_EXPECT_FAIL(sk_trainer_load(NULL, &none), SK_ERR_INVALID_ARGUMENT, "'checkpoint_path' is NULL");
  assert_null(none);
  SK_EXPECT_FAIL(sk_trainer_load(path, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_EXPECT_FAIL(sk_trainer_load("/nonexistent/ck.skc", &none), SK_ERR_IO, "cannot open");
  assert_null(none);
  SK_EXPECT_FAIL(sk_trainer_model(NULL, &m), SK_ERR_INVALID_ARGUMENT, "'trainer' is NULL");
  SK_EXPECT_FAIL(sk_trainer_model(resumed, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  sk_trainer_free(straight);
  sk_trainer_free(resumed);
  remove(path);
}

/* ---- damaged checkpoints ---- */

static char* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  char* b = malloc(*size);
  assert_int_equal(fread(b, 1, *size, f), *size);
  fclose(f);
  return b;
}

static void write_file(const char* path, const char* bytes, size_t size) {
  FILE* f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(bytes, 1, size, f), size);
  fclose(f);
}

/* The trailer is FNV-1a 64 of everything before it, little-endian (docs/c-api.md). */
static void reseal(char* bytes, size_t size) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < size - 8; ++i) {
    h ^= (unsigned char)bytes[i];
    h *= 1099511628211ull;
  }
  for (int i = 0; i < 8; ++i) bytes[size - 8 + i] = (char)((h >> (8 * i)) & 0xff);
}

/* Both loaders must refuse `bytes` with SK_ERR_CHECKPOINT and a message containing `fragment`. */
static void expect_rejected(const char* path, const char* bytes, size_t size, const char* fragment) {
  write_file(path, bytes, size);
  sk_trainer* t = NULL;
  sk_model* m = NULL;
  SK_EXPECT_FAIL(sk_trainer_load(path, &t), SK_ERR_CHECKPOINT, fragment);
  SK_EXPECT_FAIL(sk_model_load(path, &m), SK_ERR_CHECKPOINT, fragment);
  assert_null(t);
  assert_null(m);
}

/* Trainers on an in-memory array: the data are copied, train, save, and resume only when given again. */
#define SK_ARRAY_SPEC                                                                                  \
  "{\"sde\": \"vp\", \"model\": {\"name\": \"mlp\", \"hidden\": 16, \"depth\": 1, \"time_dim\": 8}, " \
  "\"objective\": \"dsm\", \"train\": {\"batch\": 16, \"seed\": 3, \"warmup\": 2}}"

static void array_data_train_save_and_resume(void** state) {
  (void)state;
  enum { N = 40 };
  float values[N * 2], original[N * 2];
  for (int i = 0; i < N; ++i) {
    values[2 * i] = (float)(i % 7) - 3.0f;
    values[2 * i + 1] = 0.25f * (float)i - 5.0f;
  }
  memcpy(original, values, sizeof values);
  const int64_t shape[2] = {N, 2};
  sk_dataset* d = NULL;
  SK_ASSERT_OK(sk_dataset_from_array(values, N * 2, shape, 2, &d));
  for (int i = 0; i < N * 2; ++i) values[i] = 1e6f; /* the data set holds its own copy */
  size_t dim = 0;
  SK_ASSERT_OK(sk_dataset_dim(d, &dim));
  assert_int_equal(dim, 2);
  float drawn[20 * 2];
  SK_ASSERT_OK(sk_dataset_sample(d, 20, 1, drawn, 40));
  for (int k = 0; k < 20; ++k) { /* every draw is a row of the original array */
    int found = 0;
    for (int i = 0; i < N && !found; ++i) found = drawn[2 * k] == original[2 * i] && drawn[2 * k + 1] == original[2 * i + 1];
    assert_true(found);
  }

  const float bad[4] = {1, 2, NAN, 4};
  const int64_t shape22[2] = {2, 2}, shape1[1] = {4}, shape_zero[2] = {0, 4};
  sk_dataset* none = d;
  SK_EXPECT_FAIL(sk_dataset_from_array(NULL, 4, shape22, 2, &none), SK_ERR_INVALID_ARGUMENT, "'values' is NULL");
  assert_null(none);
  SK_EXPECT_FAIL(sk_dataset_from_array(original, 4, NULL, 2, &none), SK_ERR_INVALID_ARGUMENT, "'shape' is NULL");
  SK_EXPECT_FAIL(sk_dataset_from_array(original, 4, shape1, 1, &none), SK_ERR_INVALID_ARGUMENT, "2 to 8 entries");
  SK_EXPECT_FAIL(sk_dataset_from_array(original, 4, shape_zero, 2, &none), SK_ERR_INVALID_ARGUMENT, "must be positive");
  SK_EXPECT_FAIL(sk_dataset_from_array(original, 6, shape22, 2, &none), SK_ERR_INVALID_ARGUMENT, "values_len is 6");
  SK_EXPECT_FAIL(sk_dataset_from_array(bad, 4, shape22, 2, &none), SK_ERR_INVALID_ARGUMENT, "non-finite");
  SK_EXPECT_FAIL(sk_dataset_from_array(original, 4, shape22, 2, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");

  sk_trainer* t = NULL;
  SK_EXPECT_FAIL(sk_trainer_create_with_data(SK_TEST_SPEC, d, &t), SK_ERR_SPEC, "drop one of them");
  SK_EXPECT_FAIL(sk_trainer_create_with_data(SK_ARRAY_SPEC, NULL, &t), SK_ERR_INVALID_ARGUMENT, "'data' is NULL");
  sk_trainer* straight = NULL;
  SK_ASSERT_OK(sk_trainer_create_with_data(SK_ARRAY_SPEC, d, &straight));
  SK_ASSERT_OK(sk_trainer_train(straight, 6, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_create_with_data(SK_ARRAY_SPEC, d, &t));
  SK_ASSERT_OK(sk_trainer_train(t, 3, NULL, NULL));
  char spec[2048];
  SK_ASSERT_OK(sk_trainer_spec(t, spec, sizeof spec, NULL));
  assert_non_null(strstr(spec, "\"name\":\"array\""));
  assert_non_null(strstr(spec, "\"sample_shape\":[2]"));
  char path[512];
  sk_test_path(path, sizeof path, "array.skc");
  SK_ASSERT_OK(sk_trainer_save(t, path));
  sk_trainer_free(t);

  sk_model* m = NULL; /* sampling needs no data */
  SK_ASSERT_OK(sk_model_load(path, &m));
  SK_ASSERT_OK(sk_model_dim(m, &dim));
  assert_int_equal(dim, 2);
  sk_model_free(m);
  sk_trainer* resumed = straight;
  SK_EXPECT_FAIL(sk_trainer_load(path, &resumed), SK_ERR_CHECKPOINT, "in-memory array");
  assert_null(resumed);
  SK_EXPECT_FAIL(sk_trainer_load_with_data(path, NULL, &resumed), SK_ERR_INVALID_ARGUMENT, "'data' is NULL");
  SK_ASSERT_OK(sk_trainer_load_with_data(path, d, &resumed));
  sk_dataset_free(d); /* the trainer keeps the data alive */
  SK_ASSERT_OK(sk_trainer_train(resumed, 3, NULL, NULL));
  float a[8], b[8];
  fingerprint(straight, a);
  fingerprint(resumed, b);
  assert_memory_equal(a, b, sizeof a);
  sk_trainer_free(straight);
  sk_trainer_free(resumed);
  remove(path);
}

/* Schedules and EMAs travel in the spec; a post-hoc EMA is rebuilt from the checkpoint's snapshots. */
static void schedules_and_posthoc_ema(void** state) {
  (void)state;
  sk_trainer* t = NULL;
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\", \"train\": {\"lr_schedule\": \"step\"}}", &t), SK_ERR_SPEC,
                 "inverse_sqrt");
  SK_EXPECT_FAIL(sk_trainer_create("{\"data\": \"moons\", \"train\": {\"ema_posthoc\": [0.05, 0.1]}}", &t), SK_ERR_SPEC,
                 "ema_snapshot_every");
  SK_ASSERT_OK(sk_trainer_create(
      "{\"data\": \"moons\", \"model\": {\"name\": \"mlp\", \"hidden\": 16, \"depth\": 1, \"time_dim\": 8}, "
      "\"train\": {\"batch\": 16, \"lr_schedule\": \"cosine\", \"lr_decay_steps\": 10, \"weight_decay\": 0.01, "
      "\"ema_schedule\": \"warmup\", \"ema_posthoc\": [0.05, 0.1], \"ema_snapshot_every\": 5}}", &t));
  SK_ASSERT_OK(sk_trainer_train(t, 10, NULL, NULL));
  char spec[4096];
  SK_ASSERT_OK(sk_trainer_spec(t, spec, sizeof spec, NULL));
  assert_non_null(strstr(spec, "\"ema_warmup_power\""));
  assert_non_null(strstr(spec, "\"lr_schedule\":\"cosine\""));
  char path[512], plain[512];
  sk_test_path(path, sizeof path, "posthoc.skc");
  SK_ASSERT_OK(sk_trainer_save(t, path));
  sk_model* m = NULL;
  SK_ASSERT_OK(sk_model_load_posthoc_ema(path, 0.08, &m));
  size_t dim = 0;
  SK_ASSERT_OK(sk_model_dim(m, &dim));
  assert_int_equal(dim, 2);
  sk_model_free(m);
  m = NULL;
  SK_EXPECT_FAIL(sk_model_load_posthoc_ema(path, 0.5, &m), SK_ERR_INVALID_ARGUMENT, "sigma_rel must lie");
  SK_EXPECT_FAIL(sk_model_load_posthoc_ema(NULL, 0.1, &m), SK_ERR_INVALID_ARGUMENT, "'checkpoint_path' is NULL");
  SK_EXPECT_FAIL(sk_model_load_posthoc_ema(path, 0.1, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  sk_trainer_free(t);
  sk_trainer* p = new_trainer();
  sk_test_path(plain, sizeof plain, "plain.skc");
  SK_ASSERT_OK(sk_trainer_save(p, plain));
  SK_EXPECT_FAIL(sk_model_load_posthoc_ema(plain, 0.1, &m), SK_ERR_CHECKPOINT, "keeps no post-hoc EMAs");
  assert_null(m);
  sk_trainer_free(p);
  remove(path);
  remove(plain);
}

static void damaged_checkpoints_are_rejected(void** state) {
  (void)state;
  char good_path[512], bad_path[512];
  sk_test_path(good_path, sizeof good_path, "good.skc");
  sk_test_path(bad_path, sizeof bad_path, "bad.skc");
  sk_trainer* t = new_trainer();
  SK_ASSERT_OK(sk_trainer_train(t, 2, NULL, NULL));
  SK_ASSERT_OK(sk_trainer_save(t, good_path));
  sk_trainer_free(t);
  size_t size = 0;
  char* good = read_file(good_path, &size);
  char* bad = malloc(size);

  expect_rejected(bad_path, good, size / 2, "checksum");     /* truncated */
  expect_rejected(bad_path, good, 10, "truncated");          /* truncated inside the header */
  memcpy(bad, good, size);
  bad[size / 2] ^= 0x10;
  expect_rejected(bad_path, bad, size, "corrupted");         /* one flipped bit */
  expect_rejected(bad_path, "PK\x03\x04 a zip file", 16, "not a scorekit checkpoint");
  expect_rejected(bad_path, "", 0, "not a scorekit checkpoint");
  memcpy(bad, good, size);
  bad[8] = 9;
  expect_rejected(bad_path, bad, size, "newer");            /* format version 9 */

  /* A payload not tagged little-endian (found by the fuzzer: cereal would byte-swap it in 8-byte
   * units past the end of 4-byte tensors), checksum fixed up. */
  memcpy(bad, good, size);
  bad[12] = 0;
  reseal(bad, size);
  expect_rejected(bad_path, bad, size, "not tagged little-endian");

  /* Tensor sizes that disagree with the spec: widen the stored spec by one unit, checksum fixed up. */
  memcpy(bad, good, size);
  char* hidden = NULL;
  for (size_t i = 0; i + 11 < size; ++i)
    if (memcmp(bad + i, "\"hidden\":16", 11) == 0) hidden = bad + i;
  assert_non_null(hidden);
  hidden[10] = '7';
  reseal(bad, size);
  expect_rejected(bad_path, bad, size, "has shape");

  /* An absurd tensor length in a resealed file must be refused before any allocation. */
  memcpy(bad, good, size);
  char* name = NULL;
  for (size_t i = 0; i + 8 < size; ++i)
    if (memcmp(bad + i, "model/", 6) == 0) { name = bad + i; break; }
  assert_non_null(name);
  memset(name - 8, 0x7f, 8); /* the name's length prefix (u64) */
  reseal(bad, size);
  expect_rejected(bad_path, bad, size, "runs past the end");

  free(good);
  free(bad);
  remove(good_path);
  remove(bad_path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(trainer_create_errors),
      cmocka_unit_test(steps_and_metrics),
      cmocka_unit_test(divergence_is_a_runtime_error),
      cmocka_unit_test(progress_and_cancellation),
      cmocka_unit_test(callback_may_not_reenter_its_trainer),
      cmocka_unit_test(save_load_and_resume_bit_for_bit),
      cmocka_unit_test(damaged_checkpoints_are_rejected),
      cmocka_unit_test(array_data_train_save_and_resume),
      cmocka_unit_test(schedules_and_posthoc_ema),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
