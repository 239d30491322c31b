/* Distinct handles used from several threads at once give the same results as one thread, and one
 * model shared by several threads is serialised by its lock. CMocka asserts only on the main thread
 * (its failures longjmp), so the workers record statuses for it. */
#include <pthread.h>

#include "sk_test.h"

#define WORKERS 4
#define N_SAMPLES 32

typedef struct {
  int seed;
  sk_status status;
  char message[256];
  float samples[N_SAMPLES * 2];
  double loss;
} job;

/* Trains, snapshots and samples with handles of its own. */
static sk_status run_job(job* j) {
  char spec[512];
  snprintf(spec, sizeof spec,
           "{\"data\": \"moons\", \"model\": {\"name\": \"mlp\", \"hidden\": 16, \"depth\": 1, \"time_dim\": 8}, "
           "\"train\": {\"batch\": 32, \"seed\": %d}}", j->seed);
  sk_trainer* t = NULL;
  sk_model* m = NULL;
  sk_sampler* s = NULL;
  sk_status st = sk_trainer_create(spec, &t);
  if (st == SK_OK) st = sk_trainer_train(t, 6, NULL, NULL);
  if (st == SK_OK) st = sk_trainer_last_loss(t, &j->loss);
  if (st == SK_OK) st = sk_trainer_model(t, &m);
  if (st == SK_OK) st = sk_sampler_create("{\"name\": \"em\", \"steps\": 12}", &s);
  if (st == SK_OK) st = sk_sampler_run(s, m, N_SAMPLES, (uint64_t)j->seed, j->samples, N_SAMPLES * 2, NULL, NULL, NULL);
  if (st != SK_OK) snprintf(j->message, sizeof j->message, "%s", sk_last_error());
  sk_sampler_free(s);
  sk_model_free(m);
  sk_trainer_free(t);
  return st;
}

static void* worker(void* arg) {
  job* j = (job*)arg;
  j->status = run_job(j);
  return NULL;
}

static void distinct_handles_in_parallel_match_sequential_runs(void** state) {
  (void)state;
  job par[WORKERS], seq[WORKERS];
  pthread_t th[WORKERS];
  memset(par, 0, sizeof par);
  memset(seq, 0, sizeof seq);
  for (int i = 0; i < WORKERS; ++i) {
    par[i].seed = seq[i].seed = i + 1;
    assert_int_equal(pthread_create(&th[i], NULL, worker, &par[i]), 0);
  }
  for (int i = 0; i < WORKERS; ++i) assert_int_equal(pthread_join(th[i], NULL), 0);
  for (int i = 0; i < WORKERS; ++i) {
    if (par[i].status != SK_OK) fail_msg("worker %d: %s: %s", i, sk_status_name(par[i].status), par[i].message);
    seq[i].status = run_job(&seq[i]);
    if (seq[i].status != SK_OK) fail_msg("sequential %d: %s", i, seq[i].message);
    assert_memory_equal(par[i].samples, seq[i].samples, sizeof par[i].samples);
    assert_true(par[i].loss == seq[i].loss);
  }
  /* Different seeds really gave different runs. */
  assert_memory_not_equal(par[0].samples, par[1].samples, sizeof par[0].samples);
}

typedef struct {
  sk_model* model;
  sk_status status;
  float out[64 * 2];
} score_job;

static void* score_worker(void* arg) {
  score_job* j = (score_job*)arg;
  float x[64 * 2];
  for (int i = 0; i < 128; ++i) x[i] = (float)(i % 7) * 0.25f - 0.75f;
  const float t[1] = {0.4f};
  for (int rep = 0; rep < 20 && j->status == SK_OK; ++rep) j->status = sk_model_score(j->model, x, 64, 2, t, 1, j->out, 128);
  return NULL;
}

static void one_model_shared_by_threads(void** state) {
  (void)state;
  sk_sde* sde = NULL;
  sk_model* m = NULL;
  SK_ASSERT_OK(sk_sde_create("\"vp\"", &sde));
  SK_ASSERT_OK(sk_model_create("{\"name\": \"mlp\", \"hidden\": 16, \"depth\": 1}", sde, 2, &m));
  score_job jobs[WORKERS];
  pthread_t th[WORKERS];
  for (int i = 0; i < WORKERS; ++i) {
    jobs[i].model = m;
    jobs[i].status = SK_OK;
    assert_int_equal(pthread_create(&th[i], NULL, score_worker, &jobs[i]), 0);
  }
  for (int i = 0; i < WORKERS; ++i) assert_int_equal(pthread_join(th[i], NULL), 0);
  for (int i = 0; i < WORKERS; ++i) {
    assert_int_equal(jobs[i].status, SK_OK);
    assert_memory_equal(jobs[i].out, jobs[0].out, sizeof jobs[0].out);
  }
  sk_model_free(m);
  sk_sde_free(sde);
}

typedef struct {
  sk_status status;
  char message[128];
} error_job;

static void* error_worker(void* arg) {
  error_job* j = (error_job*)arg;
  sk_sde* s = NULL;
  j->status = sk_sde_create("{\"name\": \"nope\"}", &s);
  snprintf(j->message, sizeof j->message, "%s", sk_last_error());
  return NULL;
}

static void error_messages_are_per_thread(void** state) {
  (void)state;
  sk_sde* s = NULL;
  SK_EXPECT_FAIL(sk_sde_create("{", &s), SK_ERR_SPEC, "not valid JSON");
  error_job j;
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, error_worker, &j), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  assert_int_equal(j.status, SK_ERR_SPEC);
  assert_non_null(strstr(j.message, "nope"));
  assert_non_null(strstr(sk_last_error(), "not valid JSON")); /* this thread's message is untouched */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(distinct_handles_in_parallel_match_sequential_runs),
      cmocka_unit_test(one_model_shared_by_threads),
      cmocka_unit_test(error_messages_are_per_thread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
