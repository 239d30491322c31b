/* The oracle model, the probability-flow NLL and the distributed trainer through the C ABI,
 * checked against the closed-form log-density of a Gaussian mixture. */
#include <math.h>

#include "sk_test.h"

#define MIX "{\"name\": \"mixture\", \"weights\": [0.3, 0.7], \"means\": [[-1.5, 0.5], [1.0, -1.0]], " \
            "\"stds\": [[0.4, 0.6], [0.5, 0.3]]}"

/* log p0(x) of the mixture above, by hand. */
static double mixture_log_density(const float* x) {
  const double w[2] = {0.3, 0.7}, m[2][2] = {{-1.5, 0.5}, {1.0, -1.0}}, s[2][2] = {{0.4, 0.6}, {0.5, 0.3}};
  double p = 0;
  for (int k = 0; k < 2; ++k) {
    double lp = log(w[k]);
    for (int j = 0; j < 2; ++j) {
      const double z = (x[j] - m[k][j]) / s[k][j];
      lp += -0.5 * z * z - log(s[k][j]) - 0.5 * log(2 * M_PI);
    }
    p += exp(lp);
  }
  return log(p);
}

static void oracle_nll_matches_the_closed_form(void** state) {
  (void)state;
  sk_model* model = NULL;
  SK_ASSERT_OK(sk_model_oracle(MIX, "{\"name\": \"vp\", \"eps\": 1e-5}", &model));
  const float x[8] = {-1.4f, 0.6f, 1.1f, -0.9f, 0.0f, 0.0f, -2.0f, 1.0f};
  double mean = 0, bpd = 0, each[4];
  SK_ASSERT_OK(sk_model_nll(model, x, 4, 2, "{\"divergence\": \"exact\"}", 1, &mean, &bpd, each, 4));
  double truth_mean = 0;
  for (int i = 0; i < 4; ++i) {
    const double truth = -mixture_log_density(x + 2 * i);
    truth_mean += truth / 4;
    if (fabs(each[i] - truth) > 0.02) fail_msg("point %d: NLL %.4f, closed form %.4f", i, each[i], truth);
  }
  if (fabs(mean - truth_mean) > 0.01) fail_msg("mean NLL %.4f, closed form %.4f", mean, truth_mean);
  if (fabs(bpd - mean / (2 * log(2.0))) > 1e-9) fail_msg("bits/dim %.6f disagrees with the mean NLL", bpd);

  /* The oracle's score is the mixture's: at t = 1e-5 it equals the data score. */
  float score[2];
  const float t = 1e-5f;
  SK_ASSERT_OK(sk_model_score(model, x, 1, 2, &t, 1, score, 2));
  if (!isfinite(score[0]) || !isfinite(score[1])) fail_msg("non-finite oracle score");
  sk_model_free(model);
}

static void nll_rejects_bad_input(void** state) {
  (void)state;
  sk_model* model = NULL;
  SK_ASSERT_OK(sk_model_oracle(MIX, "\"vp\"", &model));
  const float x[2] = {0.0f, 0.0f};
  const float nan_x[2] = {NAN, 0.0f};
  double mean, bpd, each[1];
  SK_EXPECT_FAIL(sk_model_nll(NULL, x, 1, 2, NULL, 0, &mean, &bpd, NULL, 0), SK_ERR_INVALID_ARGUMENT, "model");
  SK_EXPECT_FAIL(sk_model_nll(model, x, 1, 3, NULL, 0, &mean, &bpd, NULL, 0), SK_ERR_INVALID_ARGUMENT, "dim");
  SK_EXPECT_FAIL(sk_model_nll(model, nan_x, 1, 2, NULL, 0, &mean, &bpd, NULL, 0), SK_ERR_INVALID_ARGUMENT, "non-finite");
  SK_EXPECT_FAIL(sk_model_nll(model, x, 1, 2, "{not json", 0, &mean, &bpd, NULL, 0), SK_ERR_SPEC, "options_json");
  SK_EXPECT_FAIL(sk_model_nll(model, x, 1, 2, "{\"divergenc\": \"exact\"}", 0, &mean, &bpd, NULL, 0), SK_ERR_INVALID_ARGUMENT,
                 "divergenc");
  SK_EXPECT_FAIL(sk_model_nll(model, x, 1, 2, NULL, 0, NULL, &bpd, NULL, 0), SK_ERR_INVALID_ARGUMENT, "out_mean_nats");
  SK_EXPECT_FAIL(sk_model_nll(model, x, 2, 2, NULL, 0, &mean, &bpd, each, 1), SK_ERR_INVALID_ARGUMENT, "out");
  sk_model_free(model);

  SK_EXPECT_FAIL(sk_model_oracle("{\"name\": \"moons\"}", "\"vp\"", &model), SK_ERR_SPEC, "mixture");
  SK_EXPECT_FAIL(sk_model_oracle(MIX, "\"vv\"", &model), SK_ERR_SPEC, "vv");
  SK_EXPECT_FAIL(sk_model_oracle(MIX, "\"vp\"", NULL), SK_ERR_INVALID_ARGUMENT, "out");
}

static void a_single_rank_distributed_trainer_trains(void** state) {
  (void)state;
  sk_trainer* trainer = NULL;
  char dist[160];
  snprintf(dist, sizeof dist, "{\"rank\": 0, \"world_size\": 1, \"master_addr\": \"127.0.0.1\", \"master_port\": %d, \"timeout_s\": 20}",
           20000 + (int)(getpid() % 5000));
  SK_ASSERT_OK(sk_trainer_create_distributed(SK_TEST_SPEC, NULL, dist, &trainer));
  int rank = -1, world = -1;
  SK_ASSERT_OK(sk_trainer_rank(trainer, &rank, &world));
  assert_int_equal(rank, 0);
  assert_int_equal(world, 1);
  double loss = 0;
  SK_ASSERT_OK(sk_trainer_step(trainer, &loss));
  if (!isfinite(loss)) fail_msg("non-finite loss");
  sk_trainer_free(trainer);

  SK_EXPECT_FAIL(sk_trainer_create_distributed(SK_TEST_SPEC, "x.skc", dist, &trainer), SK_ERR_INVALID_ARGUMENT, "exactly one");
  SK_EXPECT_FAIL(sk_trainer_create_distributed(SK_TEST_SPEC, NULL, "{\"rank\": 3, \"world_size\": 2}", &trainer),
                 SK_ERR_SPEC, "RANK");
  SK_EXPECT_FAIL(sk_trainer_rank(NULL, &rank, &world), SK_ERR_INVALID_ARGUMENT, "trainer");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(oracle_nll_matches_the_closed_form),
      cmocka_unit_test(nll_rejects_bad_input),
      cmocka_unit_test(a_single_rank_distributed_trainer_trains),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
