/* scorekit from plain C: train a small score model on the "moons" set, save a checkpoint, load it
 * back, draw samples and compare them with the data.
 *   make && ./train_and_sample [OUT_DIR] [STEPS]   */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <scorekit.h>

/* Prints the failing call with the library's message and leaves. */
#define CHECK(call)                                                                           \
  do {                                                                                        \
    sk_status s_ = (call);                                                                    \
    if (s_ != SK_OK) {                                                                        \
      fprintf(stderr, "%s failed: %s: %s\n", #call, sk_status_name(s_), sk_last_error());    \
      exit(1);                                                                                \
    }                                                                                         \
  } while (0)

#define N 512

/* Progress: one line every quarter of the run. Returning non-zero would cancel training. */
static int on_progress(void* user, const sk_progress* p) {
  (void)user;
  if (p->done % (p->total / 4 > 0 ? p->total / 4 : 1) == 0)
    printf("  step %5lld/%lld  loss %.4f\n", (long long)p->done, (long long)p->total, p->loss);
  return 0;
}

static void moments(const float* x, size_t n, double mean[2], double sd[2]) {
  for (int d = 0; d < 2; ++d) {
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; ++i) {
      s += x[2 * i + d];
      s2 += (double)x[2 * i + d] * x[2 * i + d];
    }
    mean[d] = s / n;
    sd[d] = sqrt(s2 / n - mean[d] * mean[d]);
  }
}

int main(int argc, char** argv) {
  const char* out_dir = argc > 1 ? argv[1] : ".";
  const long steps = argc > 2 ? atol(argv[2]) : 1500;
  if (sk_abi_version() != SK_ABI_VERSION) {
    fprintf(stderr, "libscorekit ABI %d, header %d\n", sk_abi_version(), SK_ABI_VERSION);
    return 1;
  }
  printf("scorekit %s (ABI %d)\n", sk_version(), sk_abi_version());

  const char* spec =
      "{\"data\": \"moons\", \"sde\": {\"name\": \"vp\", \"beta_min\": 0.1, \"beta_max\": 20},"
      " \"model\": {\"name\": \"mlp\", \"hidden\": 64, \"depth\": 2},"
      " \"objective\": {\"name\": \"dsm\", \"weighting\": \"sigma2\"},"
      " \"train\": {\"batch\": 256, \"lr\": 0.003, \"warmup\": 50, \"ema_decay\": 0.99, \"seed\": 1, \"log_every\": 100}}";
  sk_trainer* trainer = NULL;
  CHECK(sk_trainer_create(spec, &trainer));
  printf("training %ld steps\n", steps);
  CHECK(sk_trainer_train(trainer, steps, on_progress, NULL));
  char metrics[512];
  CHECK(sk_trainer_metrics(trainer, metrics, sizeof metrics, NULL));
  printf("metrics: %s\n", metrics);

  char path[1024];
  snprintf(path, sizeof path, "%s/moons.skc", out_dir);
  CHECK(sk_trainer_save(trainer, path));
  sk_trainer_free(trainer);
  printf("saved %s\n", path);

  /* A fresh process would start here: everything needed is in the checkpoint. */
  sk_model* model = NULL;
  CHECK(sk_model_load(path, &model));
  sk_sampler* sampler = NULL;
  CHECK(sk_sampler_create("{\"name\": \"em\", \"steps\": 200}", &sampler));
  static float samples[N * 2], data[N * 2];
  int64_t nfe = 0;
  CHECK(sk_sampler_run(sampler, model, N, 42, samples, N * 2, NULL, NULL, &nfe));

  sk_dataset* moons = NULL;
  CHECK(sk_dataset_create("{\"name\": \"moons\"}", &moons));
  CHECK(sk_dataset_sample(moons, N, 7, data, N * 2));
  double sw = 0, sw_prior = 0;
  CHECK(sk_sliced_wasserstein(samples, N, data, N, 2, 64, 0, &sw));
  sk_sde* sde = NULL;
  static float prior[N * 2];
  CHECK(sk_sde_create("\"vp\"", &sde));
  CHECK(sk_sde_prior_sample(sde, N, 2, 3, prior, N * 2));
  CHECK(sk_sliced_wasserstein(prior, N, data, N, 2, 64, 0, &sw_prior));

  double ms[2], ss[2], md[2], sd[2];
  moments(samples, N, ms, ss);
  moments(data, N, md, sd);
  printf("sampled %d points with %lld score evaluations\n", N, (long long)nfe);
  printf("  samples: mean (%.3f, %.3f)  sd (%.3f, %.3f)\n", ms[0], ms[1], ss[0], ss[1]);
  printf("  data:    mean (%.3f, %.3f)  sd (%.3f, %.3f)\n", md[0], md[1], sd[0], sd[1]);
  printf("  sliced W2 to the data: samples %.4f, prior noise %.4f\n", sw, sw_prior);

  sk_sde_free(sde);
  sk_dataset_free(moons);
  sk_sampler_free(sampler);
  sk_model_free(model);
  /* Trained samples must be much closer to the data than the prior they started from. */
  if (!(sw < 0.5 * sw_prior)) {
    fprintf(stderr, "samples are not closer to the data than noise\n");
    return 1;
  }
  printf("OK\n");
  return 0;
}
