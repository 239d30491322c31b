/* The C ABI outside training: versions, errors, data sets, SDEs, models, objectives, samplers,
 * metrics and strings, each with its error paths. */
#include <math.h>
#include <string.h>

#include "sk_test.h"

/* The build report: one JSON object naming scorekit, torch and CUDA; the usual length protocol. */
static void build_info(void** state) {
  (void)state;
  size_t n = 0;
  assert_int_equal(sk_build_info(NULL, 0, &n), SK_OK);
  assert_true(n > 20);
  char buf[4096];
  assert_true(n < sizeof buf);
  assert_int_equal(sk_build_info(buf, sizeof buf, &n), SK_OK);
  assert_int_equal(strlen(buf), n);
  assert_int_equal(buf[0], '{');
  assert_non_null(strstr(buf, "\"scorekit\":\"0.1.0\""));
  assert_non_null(strstr(buf, "\"torch\":\""));
  assert_non_null(strstr(buf, "\"cuda\":"));
  assert_non_null(strstr(buf, "\"gpus\":"));
  assert_non_null(strstr(buf, "\"threads\":"));
  char small[8];
  assert_int_equal(sk_build_info(small, sizeof small, &n), SK_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(sk_last_error(), "bytes"));
  assert_int_equal(sk_build_info(NULL, 4, &n), SK_ERR_INVALID_ARGUMENT);
}

static void versions_and_status_names(void** state) {
  (void)state;
  assert_string_equal(sk_version(), "0.1.0");
  assert_int_equal(sk_abi_version(), SK_ABI_VERSION);
  assert_int_equal(SK_VERSION_MAJOR, 0);
  assert_string_equal(sk_status_name(SK_OK), "SK_OK");
  assert_string_equal(sk_status_name(SK_ERR_INVALID_ARGUMENT), "SK_ERR_INVALID_ARGUMENT");
  assert_string_equal(sk_status_name(SK_ERR_SPEC), "SK_ERR_SPEC");
  assert_string_equal(sk_status_name(SK_ERR_IO), "SK_ERR_IO");
  assert_string_equal(sk_status_name(SK_ERR_CHECKPOINT), "SK_ERR_CHECKPOINT");
  assert_string_equal(sk_status_name(SK_ERR_CANCELLED), "SK_ERR_CANCELLED");
  assert_string_equal(sk_status_name(SK_ERR_RUNTIME), "SK_ERR_RUNTIME");
  assert_string_equal(sk_status_name(SK_ERR_STATE), "SK_ERR_STATE");
  assert_string_equal(sk_status_name((sk_status)99), "SK_UNKNOWN_STATUS");
}

/* The effect itself (no page faults for a reused 24 MiB block) is checked by the C++ test
 * KeepFreedMemory.TrainingStepsStopFaultingInTheirActivations; here: the call and its idempotence
 * (or, under a sanitizer's allocator, its clear error). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SK_TEST_SANITIZED_MALLOC 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SK_TEST_SANITIZED_MALLOC 1
#endif
static void keep_freed_memory(void** state) {
  (void)state;
#ifdef SK_TEST_SANITIZED_MALLOC
  /* The sanitizer's allocator takes no glibc thresholds: a clear error, nothing changed. */
  SK_EXPECT_FAIL(sk_keep_freed_memory(), SK_ERR_RUNTIME, "glibc's malloc");
#else
  SK_ASSERT_OK(sk_keep_freed_memory());
  SK_ASSERT_OK(sk_keep_freed_memory());
#endif
}

static void errors_are_cleared_by_the_next_success(void** state) {
  (void)state;
  sk_sde* sde = NULL;
  SK_EXPECT_FAIL(sk_sde_create("{", &sde), SK_ERR_SPEC, "not valid JSON");
  assert_null(sde);
  SK_ASSERT_OK(sk_sde_create("\"vp\"", &sde));
  assert_string_equal(sk_last_error(), "");
  sk_sde_free(sde);
}

static void free_accepts_null(void** state) {
  (void)state;
  sk_dataset_free(NULL);
  sk_sde_free(NULL);
  sk_model_free(NULL);
  sk_objective_free(NULL);
  sk_trainer_free(NULL);
  sk_sampler_free(NULL);
}

static void datasets(void** state) {
  (void)state;
  sk_dataset* d = NULL;
  SK_EXPECT_FAIL(sk_dataset_create("{\"name\": \"spiral\"}", &d), SK_ERR_SPEC, "swissroll");
  SK_EXPECT_FAIL(sk_dataset_create("{\"name\": \"moons\", \"nois\": 1}", &d), SK_ERR_SPEC, "nois");
  SK_EXPECT_FAIL(sk_dataset_create("[1,", &d), SK_ERR_SPEC, "not valid JSON");
  SK_EXPECT_FAIL(sk_dataset_create(NULL, &d), SK_ERR_INVALID_ARGUMENT, "'spec_json' is NULL");
  SK_EXPECT_FAIL(sk_dataset_create("\"moons\"", NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_EXPECT_FAIL(sk_dataset_create("{\"name\": \"npy\", \"path\": \"/nonexistent/x.npy\"}", &d), SK_ERR_IO, "cannot open");
  SK_EXPECT_FAIL(sk_dataset_create("{\"name\": \"mixture\", \"path\": \"/nonexistent/m.json\"}", &d), SK_ERR_IO,
                 "cannot open");
  SK_ASSERT_OK(sk_dataset_create("{\"name\": \"moons\"}", &d));
  size_t dim = 0;
  SK_ASSERT_OK(sk_dataset_dim(d, &dim));
  assert_int_equal(dim, 2);
  SK_EXPECT_FAIL(sk_dataset_dim(NULL, &dim), SK_ERR_INVALID_ARGUMENT, "'data' is NULL");
  SK_EXPECT_FAIL(sk_dataset_dim(d, NULL), SK_ERR_INVALID_ARGUMENT, "'out_dim' is NULL");

  float a[20], b[20];
  SK_ASSERT_OK(sk_dataset_sample(d, 10, 3, a, 20));
  SK_ASSERT_OK(sk_dataset_sample(d, 10, 3, b, 20));
  assert_memory_equal(a, b, sizeof a); /* one seed, one draw */
  SK_EXPECT_FAIL(sk_dataset_sample(d, 10, 3, a, 19), SK_ERR_INVALID_ARGUMENT, "holds 19 values but 20");
  SK_EXPECT_FAIL(sk_dataset_sample(d, 0, 3, a, 20), SK_ERR_INVALID_ARGUMENT, "n must be positive");
  SK_EXPECT_FAIL(sk_dataset_sample(d, 10, 3, NULL, 20), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_EXPECT_FAIL(sk_dataset_sample(NULL, 10, 3, a, 20), SK_ERR_INVALID_ARGUMENT, "'data' is NULL");
  SK_EXPECT_FAIL(sk_dataset_sample(d, SIZE_MAX / 2, 3, a, SIZE_MAX), SK_ERR_INVALID_ARGUMENT, "overflows");
  sk_dataset_free(d);
}

static void sdes(void** state) {
  (void)state;
  sk_sde* s = NULL;
  SK_EXPECT_FAIL(sk_sde_create("{\"name\": \"vv\"}", &s), SK_ERR_SPEC, "subvp");
  SK_EXPECT_FAIL(sk_sde_create("{\"name\": \"vp\", \"beta_mx\": 3}", &s), SK_ERR_SPEC, "beta_max");
  SK_EXPECT_FAIL(sk_sde_create("{\"name\": \"vp\", \"beta_min\": -1}", &s), SK_ERR_SPEC, "beta_min");
  SK_EXPECT_FAIL(sk_sde_create("{\"name\": 5}", &s), SK_ERR_SPEC, "name");
  SK_EXPECT_FAIL(sk_sde_create(NULL, &s), SK_ERR_INVALID_ARGUMENT, "'spec_json' is NULL");
  SK_EXPECT_FAIL(sk_sde_create("\"vp\"", NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_ASSERT_OK(sk_sde_create("{\"name\": \"vp\", \"beta_min\": 0.1, \"beta_max\": 20}", &s));
  double alpha = 0, sigma = 0;
  SK_ASSERT_OK(sk_sde_marginal(s, 1.0, &alpha, &sigma));
  assert_true(alpha > 0 && alpha < 0.01 && sigma > 0.99 && sigma <= 1.0);
  SK_EXPECT_FAIL(sk_sde_marginal(s, 0.0, &alpha, &sigma), SK_ERR_INVALID_ARGUMENT, "(0, 1]");
  SK_EXPECT_FAIL(sk_sde_marginal(s, NAN, &alpha, &sigma), SK_ERR_INVALID_ARGUMENT, "(0, 1]");
  SK_EXPECT_FAIL(sk_sde_marginal(NULL, 0.5, &alpha, &sigma), SK_ERR_INVALID_ARGUMENT, "'sde' is NULL");
  SK_EXPECT_FAIL(sk_sde_marginal(s, 0.5, NULL, &sigma), SK_ERR_INVALID_ARGUMENT, "'out_alpha' is NULL");
  SK_EXPECT_FAIL(sk_sde_marginal(s, 0.5, &alpha, NULL), SK_ERR_INVALID_ARGUMENT, "'out_sigma' is NULL");
  float p[6];
  SK_ASSERT_OK(sk_sde_prior_sample(s, 2, 3, 1, p, 6));
  SK_EXPECT_FAIL(sk_sde_prior_sample(s, 2, 3, 1, p, 5), SK_ERR_INVALID_ARGUMENT, "holds 5 values but 6");
  SK_EXPECT_FAIL(sk_sde_prior_sample(s, 2, 0, 1, p, 6), SK_ERR_INVALID_ARGUMENT, "dim must be positive");
  SK_EXPECT_FAIL(sk_sde_prior_sample(NULL, 2, 3, 1, p, 6), SK_ERR_INVALID_ARGUMENT, "'sde' is NULL");
  SK_EXPECT_FAIL(sk_sde_prior_sample(s, 2, 3, 1, NULL, 6), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  sk_sde_free(s);
}

static sk_model* small_model(void) {
  sk_sde* s = NULL;
  sk_model* m = NULL;
  SK_ASSERT_OK(sk_sde_create("\"vp\"", &s));
  SK_ASSERT_OK(sk_model_create("{\"name\": \"mlp\", \"hidden\": 16, \"depth\": 1, \"time_dim\": 8}", s, 2, &m));
  sk_sde_free(s); /* the model keeps its SDE */
  return m;
}

static void models_and_scores(void** state) {
  (void)state;
  sk_sde* s = NULL;
  sk_model* m = NULL;
  SK_ASSERT_OK(sk_sde_create("\"vp\"", &s));
  SK_EXPECT_FAIL(sk_model_create("{\"name\": \"resnet\"}", s, 2, &m), SK_ERR_SPEC, "mlp");
  SK_EXPECT_FAIL(sk_model_create("{\"name\": \"mlp\", \"hiden\": 3}", s, 2, &m), SK_ERR_SPEC, "hiden");
  SK_EXPECT_FAIL(sk_model_create("{\"name\": \"mlp\", \"hidden\": \"wide\"}", s, 2, &m), SK_ERR_SPEC, "hidden");
  SK_EXPECT_FAIL(sk_model_create("\"mlp\"", NULL, 2, &m), SK_ERR_INVALID_ARGUMENT, "'sde' is NULL");
  SK_EXPECT_FAIL(sk_model_create("\"mlp\"", s, 0, &m), SK_ERR_INVALID_ARGUMENT, "dim must be");
  SK_EXPECT_FAIL(sk_model_create("\"mlp\"", s, 2, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_EXPECT_FAIL(sk_model_create("nope", s, 2, &m), SK_ERR_SPEC, "not valid JSON");
  sk_sde_free(s);

  m = small_model();
  size_t dim = 0;
  SK_ASSERT_OK(sk_model_dim(m, &dim));
  assert_int_equal(dim, 2);
  SK_EXPECT_FAIL(sk_model_dim(NULL, &dim), SK_ERR_INVALID_ARGUMENT, "'model' is NULL");
  SK_EXPECT_FAIL(sk_model_dim(m, NULL), SK_ERR_INVALID_ARGUMENT, "'out_dim' is NULL");

  const float x[6] = {0.1f, -0.2f, 1.0f, 2.0f, -3.0f, 0.5f};
  const float t1[1] = {0.5f}, t3[3] = {0.5f, 0.5f, 0.5f};
  float out1[6], out3[6];
  SK_ASSERT_OK(sk_model_score(m, x, 3, 2, t1, 1, out1, 6));
  SK_ASSERT_OK(sk_model_score(m, x, 3, 2, t3, 3, out3, 6));
  assert_memory_equal(out1, out3, sizeof out1); /* one time broadcast == the same time per point */
  for (int i = 0; i < 6; ++i) assert_true(isfinite(out1[i]));

  const float bad_x[6] = {0.1f, NAN, 1.0f, 2.0f, -3.0f, 0.5f};
  const float bad_t[1] = {1.5f}, nan_t[1] = {NAN};
  SK_EXPECT_FAIL(sk_model_score(m, bad_x, 3, 2, t1, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "non-finite value (nan) at index 1");
  SK_EXPECT_FAIL(sk_model_score(m, x, 3, 2, bad_t, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "outside (0, 1]");
  SK_EXPECT_FAIL(sk_model_score(m, x, 3, 2, nan_t, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "outside (0, 1]");
  SK_EXPECT_FAIL(sk_model_score(m, x, 2, 3, t1, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "takes 2 values per point, got dim = 3");
  SK_EXPECT_FAIL(sk_model_score(m, x, 3, 2, t3, 2, out1, 6), SK_ERR_INVALID_ARGUMENT, "t_len must be 1 or n = 3");
  SK_EXPECT_FAIL(sk_model_score(m, x, 3, 2, t1, 1, out1, 5), SK_ERR_INVALID_ARGUMENT, "holds 5 values but 6");
  SK_EXPECT_FAIL(sk_model_score(m, x, 0, 2, t1, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "n must be positive");
  SK_EXPECT_FAIL(sk_model_score(NULL, x, 3, 2, t1, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "'model' is NULL");
  SK_EXPECT_FAIL(sk_model_score(m, NULL, 3, 2, t1, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "'x' is NULL");
  SK_EXPECT_FAIL(sk_model_score(m, x, 3, 2, NULL, 1, out1, 6), SK_ERR_INVALID_ARGUMENT, "'t' is NULL");
  SK_EXPECT_FAIL(sk_model_score(m, x, 3, 2, t1, 1, NULL, 6), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");

  char buf[512];
  size_t len = 0;
  SK_ASSERT_OK(sk_model_spec(m, NULL, 0, &len)); /* size query */
  assert_true(len > 0 && len < sizeof buf);
  SK_ASSERT_OK(sk_model_spec(m, buf, sizeof buf, &len));
  assert_int_equal(strlen(buf), len);
  assert_non_null(strstr(buf, "\"hidden\":16"));
  SK_EXPECT_FAIL(sk_model_spec(m, buf, len, NULL), SK_ERR_INVALID_ARGUMENT, "(with its NUL)");
  SK_EXPECT_FAIL(sk_model_spec(m, NULL, 10, NULL), SK_ERR_INVALID_ARGUMENT, "'buf' is NULL but 'cap' is 10");
  SK_EXPECT_FAIL(sk_model_spec(NULL, buf, sizeof buf, NULL), SK_ERR_INVALID_ARGUMENT, "'model' is NULL");
  sk_model_free(m);
}

static void model_load_errors(void** state) {
  (void)state;
  sk_model* m = NULL;
  SK_EXPECT_FAIL(sk_model_load("/nonexistent/ck.skc", &m), SK_ERR_IO, "cannot open '/nonexistent/ck.skc'");
  assert_null(m);
  SK_EXPECT_FAIL(sk_model_load(NULL, &m), SK_ERR_INVALID_ARGUMENT, "'checkpoint_path' is NULL");
  SK_EXPECT_FAIL(sk_model_load("x.skc", NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
}

static void score_mse_against_a_mixture(void** state) {
  (void)state;
  sk_model* m = small_model();
  sk_dataset *mix = NULL, *moons = NULL;
  SK_ASSERT_OK(sk_dataset_create("{\"name\": \"mixture\", \"weights\": [0.5, 0.5], \"means\": [[-2, 0], [2, 0]], "
                                 "\"stds\": [[0.5, 0.5], [0.5, 0.5]]}", &mix));
  SK_ASSERT_OK(sk_dataset_create("\"moons\"", &moons));
  double mse = -1;
  SK_ASSERT_OK(sk_model_score_mse(m, mix, 64, 0, &mse));
  assert_true(isfinite(mse) && mse > 0);
  SK_EXPECT_FAIL(sk_model_score_mse(m, moons, 64, 0, &mse), SK_ERR_INVALID_ARGUMENT, "no analytic score");
  SK_EXPECT_FAIL(sk_model_score_mse(m, mix, 0, 0, &mse), SK_ERR_INVALID_ARGUMENT, "n must be positive");
  SK_EXPECT_FAIL(sk_model_score_mse(NULL, mix, 64, 0, &mse), SK_ERR_INVALID_ARGUMENT, "'model' is NULL");
  SK_EXPECT_FAIL(sk_model_score_mse(m, NULL, 64, 0, &mse), SK_ERR_INVALID_ARGUMENT, "'mixture' is NULL");
  SK_EXPECT_FAIL(sk_model_score_mse(m, mix, 64, 0, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  sk_dataset_free(mix);
  sk_dataset_free(moons);
  sk_model_free(m);
}

static void objectives(void** state) {
  (void)state;
  sk_objective* o = NULL;
  SK_EXPECT_FAIL(sk_objective_create("\"dsn\"", &o), SK_ERR_SPEC, "dsm");
  SK_EXPECT_FAIL(sk_objective_create("{\"name\": \"dsm\", \"weighting\": \"heavy\"}", &o), SK_ERR_SPEC, "sigma2");
  SK_EXPECT_FAIL(sk_objective_create(NULL, &o), SK_ERR_INVALID_ARGUMENT, "'spec_json' is NULL");
  SK_EXPECT_FAIL(sk_objective_create("\"dsm\"", NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_ASSERT_OK(sk_objective_create("{\"name\": \"dsm\"}", &o));
  sk_model* m = small_model();
  const float x0[8] = {0, 1, 1, 0, -1, 0.5f, 0.25f, -2};
  double a = 0, b = 0;
  SK_ASSERT_OK(sk_objective_loss(o, m, x0, 4, 2, 5, &a));
  SK_ASSERT_OK(sk_objective_loss(o, m, x0, 4, 2, 5, &b));
  assert_true(isfinite(a) && a > 0);
  assert_true(a == b); /* seeded: same draws, same loss */
  const float nan_x0[8] = {0, 1, 1, 0, -1, INFINITY, 0.25f, -2};
  SK_EXPECT_FAIL(sk_objective_loss(o, m, nan_x0, 4, 2, 5, &a), SK_ERR_INVALID_ARGUMENT, "'x0' has a non-finite value (inf) at index 5");
  SK_EXPECT_FAIL(sk_objective_loss(o, m, x0, 2, 4, 5, &a), SK_ERR_INVALID_ARGUMENT, "got dim = 4");
  SK_EXPECT_FAIL(sk_objective_loss(NULL, m, x0, 4, 2, 5, &a), SK_ERR_INVALID_ARGUMENT, "'objective' is NULL");
  SK_EXPECT_FAIL(sk_objective_loss(o, NULL, x0, 4, 2, 5, &a), SK_ERR_INVALID_ARGUMENT, "'model' is NULL");
  SK_EXPECT_FAIL(sk_objective_loss(o, m, NULL, 4, 2, 5, &a), SK_ERR_INVALID_ARGUMENT, "'x0' is NULL");
  SK_EXPECT_FAIL(sk_objective_loss(o, m, x0, 4, 2, 5, NULL), SK_ERR_INVALID_ARGUMENT, "'out_loss' is NULL");
  sk_model_free(m);
  sk_objective_free(o);
}

static int stop_at_two(void* user, const sk_progress* p) {
  int* calls = (int*)user;
  ++*calls;
  assert_int_equal(p->total, 10);
  assert_true(isnan(p->loss));
  return p->done == 2;
}

typedef struct {
  sk_model* model;
  sk_status inner;
} model_reentry;

/* Scores with the very model being sampled: refused (SK_ERR_STATE), not a deadlock. */
static int score_from_callback(void* user, const sk_progress* p) {
  (void)p;
  model_reentry* r = (model_reentry*)user;
  const float x[2] = {0, 0}, t[1] = {0.5f};
  float out[2];
  r->inner = sk_model_score(r->model, x, 1, 2, t, 1, out, 2);
  if (!strstr(sk_last_error(), "busy")) r->inner = SK_OK;
  return 1;
}

static void samplers(void** state) {
  (void)state;
  sk_sampler* s = NULL;
  SK_EXPECT_FAIL(sk_sampler_create("{\"name\": \"heun\"}", &s), SK_ERR_SPEC, "ode_euler");
  SK_EXPECT_FAIL(sk_sampler_create("{\"name\": \"em\", \"steps\": 0}", &s), SK_ERR_SPEC, "steps");
  SK_EXPECT_FAIL(sk_sampler_create("{\"name\": \"em\", \"step\": 3}", &s), SK_ERR_SPEC, "step");
  SK_EXPECT_FAIL(sk_sampler_create(NULL, &s), SK_ERR_INVALID_ARGUMENT, "'spec_json' is NULL");
  SK_EXPECT_FAIL(sk_sampler_create("\"em\"", NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_ASSERT_OK(sk_sampler_create("{\"name\": \"em\", \"steps\": 10}", &s));
  sk_model* m = small_model();
  float a[10], b[10];
  int64_t nfe = 0;
  SK_ASSERT_OK(sk_sampler_run(s, m, 5, 1, a, 10, NULL, NULL, &nfe));
  assert_int_equal(nfe, 10);
  SK_ASSERT_OK(sk_sampler_run(s, m, 5, 1, b, 10, NULL, NULL, NULL));
  assert_memory_equal(a, b, sizeof a);
  int calls = 0;
  SK_EXPECT_FAIL(sk_sampler_run(s, m, 5, 1, a, 10, stop_at_two, &calls, &nfe), SK_ERR_CANCELLED, "cancelled");
  assert_int_equal(calls, 2);
  SK_ASSERT_OK(sk_sampler_run(s, m, 5, 1, a, 10, NULL, NULL, NULL)); /* still usable after a cancel */
  model_reentry r = {m, SK_OK};
  SK_EXPECT_FAIL(sk_sampler_run(s, m, 5, 1, a, 10, score_from_callback, &r, NULL), SK_ERR_CANCELLED, "cancelled");
  assert_int_equal(r.inner, SK_ERR_STATE);
  SK_EXPECT_FAIL(sk_sampler_run(s, m, 5, 1, a, 9, NULL, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "holds 9 values but 10");
  SK_EXPECT_FAIL(sk_sampler_run(s, m, 0, 1, a, 10, NULL, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "n must be positive");
  SK_EXPECT_FAIL(sk_sampler_run(NULL, m, 5, 1, a, 10, NULL, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "'sampler' is NULL");
  SK_EXPECT_FAIL(sk_sampler_run(s, NULL, 5, 1, a, 10, NULL, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "'model' is NULL");
  SK_EXPECT_FAIL(sk_sampler_run(s, m, 5, 1, NULL, 10, NULL, NULL, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  sk_model_free(m);
  sk_sampler_free(s);
}

static void metrics(void** state) {
  (void)state;
  float a[8] = {0, 0, 1, 1, 2, 2, 3, 3}, b[8] = {0, 0, 1, 1, 2, 2, 3, 3};
  double d = -1;
  SK_ASSERT_OK(sk_sliced_wasserstein(a, 4, b, 4, 2, 16, 0, &d));
  assert_true(d < 1e-6);
  for (int i = 0; i < 8; ++i) b[i] += 10;
  SK_ASSERT_OK(sk_sliced_wasserstein(a, 4, b, 4, 2, 16, 0, &d));
  assert_true(d > 1);
  SK_ASSERT_OK(sk_mmd(a, 4, b, 4, 2, &d));
  assert_true(isfinite(d));
  SK_EXPECT_FAIL(sk_sliced_wasserstein(a, 4, b, 4, 2, 0, 0, &d), SK_ERR_INVALID_ARGUMENT, "projections");
  SK_EXPECT_FAIL(sk_sliced_wasserstein(NULL, 4, b, 4, 2, 16, 0, &d), SK_ERR_INVALID_ARGUMENT, "'a' is NULL");
  SK_EXPECT_FAIL(sk_sliced_wasserstein(a, 4, b, 4, 2, 16, 0, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
  SK_EXPECT_FAIL(sk_mmd(a, 4, b, 0, 2, &d), SK_ERR_INVALID_ARGUMENT, "n must be positive");
  SK_EXPECT_FAIL(sk_mmd(a, 1, b, 4, 2, &d), SK_ERR_INVALID_ARGUMENT, "at least 2 points");
  SK_EXPECT_FAIL(sk_mmd(a, 4, NULL, 4, 2, &d), SK_ERR_INVALID_ARGUMENT, "'b' is NULL");
  a[3] = NAN;
  SK_EXPECT_FAIL(sk_mmd(a, 4, b, 4, 2, &d), SK_ERR_INVALID_ARGUMENT, "'a' has a non-finite value (nan) at index 3");
  SK_EXPECT_FAIL(sk_mmd(a, 4, b, 4, 2, NULL), SK_ERR_INVALID_ARGUMENT, "'out' is NULL");
}

/* The image metrics: the shipped classifier's features, metrics between feature sets, and the
 * errors (the full comparison with the test split runs in the Python and C++ suites). */
static void image_metrics(void** state) {
  (void)state;
  enum { N = 6, D = 128 };
  static float images[N * 784], features[N * D];
  for (int i = 0; i < N * 784; ++i) images[i] = (float)((i * 7919) % 200) / 100.0f - 1.0f;
  SK_ASSERT_OK(sk_image_features(images, N, NULL, features, N * D));
  int nonzero = 0;
  for (int i = 0; i < N * D; ++i) {
    assert_true(isfinite(features[i]) && features[i] >= 0); /* after a ReLU */
    nonzero += features[i] > 0;
  }
  assert_true(nonzero > 0);
  SK_EXPECT_FAIL(sk_image_features(images, N, NULL, features, N * D - 1), SK_ERR_INVALID_ARGUMENT, "out_len");
  SK_EXPECT_FAIL(sk_image_features(images, N, "{\"classifier\": \"/nonexistent/c.skc\"}", features, N * D), SK_ERR_IO,
                 "/nonexistent/c.skc");
  SK_EXPECT_FAIL(sk_image_features(images, N, "{\"bogus\": 1}", features, N * D), SK_ERR_SPEC, "bogus");

  char buf[512];
  size_t len = 0;
  static float a[40 * 3], b[40 * 3];
  for (int i = 0; i < 40 * 3; ++i) {
    a[i] = (float)sin(i * 1.3);
    b[i] = (float)cos(i * 0.7) + 0.5f;
  }
  SK_ASSERT_OK(sk_feature_metrics(a, 40, b, 40, 3, "{\"kid_subsets\": 5, \"kid_subset_size\": 20}", buf, sizeof buf, &len));
  assert_true(len == strlen(buf));
  assert_non_null(strstr(buf, "\"fd\":"));
  assert_non_null(strstr(buf, "\"kid_std\":"));
  assert_non_null(strstr(buf, "\"recall\":"));
  SK_ASSERT_OK(sk_feature_metrics(a, 40, b, 40, 3, NULL, NULL, 0, &len)); /* a length query */
  assert_true(len > 0 && len < 200);
  SK_EXPECT_FAIL(sk_feature_metrics(a, 40, b, 40, 3, NULL, buf, 4, &len), SK_ERR_INVALID_ARGUMENT, "");
  SK_EXPECT_FAIL(sk_feature_metrics(a, 40, b, 40, 3, "{\"k\": 0}", buf, sizeof buf, &len), SK_ERR_SPEC, "'k'");
  SK_EXPECT_FAIL(sk_feature_metrics(a, 1, b, 40, 3, NULL, buf, sizeof buf, &len), SK_ERR_INVALID_ARGUMENT, "at least 2");

  SK_EXPECT_FAIL(sk_image_metrics(NULL, N, NULL, buf, sizeof buf, &len), SK_ERR_INVALID_ARGUMENT, "'images' is NULL");
  SK_EXPECT_FAIL(sk_image_metrics(images, N, "{\"data\": \"mnist\"}", buf, sizeof buf, &len), SK_ERR_SPEC, "fashion-mnist");
  images[5] = NAN;
  SK_EXPECT_FAIL(sk_image_metrics(images, N, NULL, buf, sizeof buf, &len), SK_ERR_INVALID_ARGUMENT, "index 5");
  images[5] = 100.0f;
  SK_EXPECT_FAIL(sk_image_metrics(images, N, NULL, buf, sizeof buf, &len), SK_ERR_INVALID_ARGUMENT, "[-1, 1]");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(build_info),                cmocka_unit_test(versions_and_status_names), cmocka_unit_test(errors_are_cleared_by_the_next_success),
      cmocka_unit_test(free_accepts_null),         cmocka_unit_test(datasets),
      cmocka_unit_test(sdes),                      cmocka_unit_test(models_and_scores),
      cmocka_unit_test(model_load_errors),         cmocka_unit_test(score_mse_against_a_mixture),
      cmocka_unit_test(objectives),                cmocka_unit_test(samplers),
      cmocka_unit_test(metrics),                   cmocka_unit_test(image_metrics),
      cmocka_unit_test(keep_freed_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
