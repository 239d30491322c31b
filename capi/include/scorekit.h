/* scorekit — the stable C ABI (docs/c-api.md has the full reference).
 * Conventions: every fallible call returns sk_status (SK_OK = 0) and, on failure, sets a
 * thread-local message read with sk_last_error(). No C++ exception crosses this boundary and no
 * bad input aborts the process. Handles are opaque; sk_X_free accepts NULL. Configuration travels
 * as JSON strings, so new options never change a signature. Arrays are caller-owned float buffers
 * in row-major (n, dim) order with explicit lengths, which are checked. Outputs are written only
 * on SK_OK, except that creators (sk_X_create, sk_X_load) set *out to NULL before anything else.
 * Threads: calls on one handle are serialised by a lock inside it; distinct handles may be used
 * from distinct threads at the same time. A handle must not be freed while it is in use (by another
 * thread, or from its own progress callback).
 * A progress callback may not call into the handle that is running it (SK_ERR_STATE). */
#ifndef SCOREKIT_H
#define SCOREKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define SK_API __declspec(dllexport)
#else
#define SK_API __attribute__((visibility("default")))
#endif

#define SK_VERSION_MAJOR 0
#define SK_VERSION_MINOR 1
#define SK_VERSION_PATCH 0
/* Bumped whenever a signature or struct layout of this header changes incompatibly. */
#define SK_ABI_VERSION 1

typedef enum sk_status {
  SK_OK = 0,
  SK_ERR_INVALID_ARGUMENT = 1, /* NULL pointer, wrong length, bad shape, NaN input */
  SK_ERR_SPEC = 2,             /* malformed JSON, unknown name or key */
  SK_ERR_IO = 3,               /* a file could not be read or written */
  SK_ERR_CHECKPOINT = 4,       /* a corrupt, truncated, foreign or newer checkpoint */
  SK_ERR_CANCELLED = 5,        /* the progress callback asked to stop */
  SK_ERR_RUNTIME = 6,          /* anything else (diverged training, out of memory, ...) */
  SK_ERR_STATE = 7             /* the handle cannot do this in its current state */
} sk_status;

/* "0.1.0"; never NULL. */
SK_API const char* sk_version(void);
/* The SK_ABI_VERSION the library was built with; compare with the header's. */
SK_API int sk_abi_version(void);
/* The message of the last failed call on this thread ("" if none). Valid until the next call. */
SK_API const char* sk_last_error(void);
/* A short fixed name for a status code ("SK_OK", "SK_ERR_SPEC", ...). */
SK_API const char* sk_status_name(sk_status status);
/* What this build runs on, as the JSON object `scorekit info` prints: "scorekit", "torch", "cuda"
 * (compiled CUDA version or null), "cudnn", "gpus" (visible), "blas", "onednn", "threads", ...
 * Copied into buf (cap bytes, NUL included); *out_len gets the length; cap = 0 only asks the length. */
SK_API sk_status sk_build_info(char* buf, size_t cap, size_t* out_len);
/* Makes glibc's malloc keep freed blocks up to 32 MiB for the next step instead of handing them back to the
 * kernel and faulting them in again (thousands of page faults a training or sampling step; see
 * docs/benchmarks.md). Process-wide, so the library never does it by itself: a host program calls it
 * once, early, if it wants it (the scorekit command line does). SK_ERR_RUNTIME where the C library
 * has no such setting (not glibc). */
SK_API sk_status sk_keep_freed_memory(void);

/* ---- handles ---- */
typedef struct sk_dataset sk_dataset;     /* a source of training data */
typedef struct sk_sde sk_sde;             /* a forward process */
typedef struct sk_model sk_model;         /* a score network bound to its SDE */
typedef struct sk_objective sk_objective; /* a score-matching loss */
typedef struct sk_trainer sk_trainer;     /* data + SDE + model + objective + optimiser state */
typedef struct sk_sampler sk_sampler;     /* a reverse-time integrator */

/* ---- progress ---- */
typedef struct sk_progress {
  int64_t done;  /* units finished in this call (training steps or sampler steps) */
  int64_t total; /* units this call will run */
  int64_t step;  /* trainer: its total step count (counting earlier calls and resumed steps); sampler: == done */
  double loss;   /* trainer: loss of the step just taken; sampler: NaN */
} sk_progress;
/* Called after every unit; return 0 to go on, non-zero to stop. A stopped call returns
 * SK_ERR_CANCELLED; work already done stays done and the handle stays usable. */
typedef int (*sk_progress_fn)(void* user, const sk_progress* progress);

/* ---- data sets: {"name": "moons"} | {"name": "npy", "path": F} | {"name": "mixture", ...} ---- */
SK_API sk_status sk_dataset_create(const char* spec_json, sk_dataset** out);
/* A data set of samples copied from the caller's row-major array values[values_len]; shape[shape_len]
 * is the array's full shape, (n, dim) for points or (n, C, H, W) for images, and its product must
 * equal values_len. Its spec is {"name": "array", "shape": [...]}. Such data cannot be rebuilt from
 * a spec: a run on them resumes with sk_trainer_load_with_data. */
SK_API sk_status sk_dataset_from_array(const float* values, size_t values_len, const int64_t* shape, size_t shape_len,
                                       sk_dataset** out);
SK_API void sk_dataset_free(sk_dataset* data);
/* Values per sample (2 for the toy sets). */
SK_API sk_status sk_dataset_dim(const sk_dataset* data, size_t* out_dim);
/* Draws n samples with a seed into out[out_len >= n * dim]. */
SK_API sk_status sk_dataset_sample(const sk_dataset* data, size_t n, uint64_t seed, float* out, size_t out_len);

/* ---- SDEs: {"name": "vp", "beta_min": 0.1, "beta_max": 20} | "ve" | "subvp" ---- */
SK_API sk_status sk_sde_create(const char* spec_json, sk_sde** out);
SK_API void sk_sde_free(sk_sde* sde);
/* The marginal x_t = alpha x_0 + sigma z at time t in (0, T] (T = 1; for "edm", T = sigma_max). */
SK_API sk_status sk_sde_marginal(const sk_sde* sde, double t, double* out_alpha, double* out_sigma);
/* Draws n prior samples of size dim into out[out_len >= n * dim]. */
SK_API sk_status sk_sde_prior_sample(const sk_sde* sde, size_t n, size_t dim, uint64_t seed, float* out, size_t out_len);

/* ---- models ---- */
/* An untrained network ({"name": "mlp", "hidden": 128, ...}) for `dim`-valued samples under `sde`
 * (the model keeps what it needs; the sde handle may be freed afterwards). */
SK_API sk_status sk_model_create(const char* spec_json, const sk_sde* sde, size_t dim, sk_model** out);
/* The EMA weights and SDE stored in a checkpoint, ready for scoring, sampling and likelihoods; the
 * training data are not read (the checkpoint stores the shape of a sample). */
SK_API sk_status sk_model_load(const char* checkpoint_path, sk_model** out);
/* Like sk_model_load, with the weights of EDM2's post-hoc EMA of length sigma_rel (in (0, 0.2887)),
 * rebuilt from the snapshots of a run trained with "ema_posthoc" and "ema_snapshot_every". */
SK_API sk_status sk_model_load_posthoc_ema(const char* checkpoint_path, double sigma_rel, sk_model** out);
SK_API void sk_model_free(sk_model* model);
SK_API sk_status sk_model_dim(const sk_model* model, size_t* out_dim);
/* The score grad_x log p_t(x) at x[n * dim] and times t[t_len] (t_len 1: one time for all
 * points; t_len n: one per point; each in (0, T], T = 1 except for the "edm" SDE) into out[out_len >= n * dim]. */
SK_API sk_status sk_model_score(sk_model* model, const float* x, size_t n, size_t dim, const float* t, size_t t_len,
                                float* out, size_t out_len);
/* sk_model_score in float64: a model without weights (the oracle) computes in float64 throughout, a
 * network in its weights' precision (float32), the result widened. */
SK_API sk_status sk_model_score_f64(sk_model* model, const double* x, size_t n, size_t dim, const double* t,
                                    size_t t_len, double* out, size_t out_len);
/* The model's JSON spec; see "strings" below. */
SK_API sk_status sk_model_spec(const sk_model* model, char* buf, size_t cap, size_t* out_len);
/* The sigma_t^2-weighted score error against the analytic score of a Gaussian-mixture data set
 * (n Monte-Carlo points), per dimension. */
SK_API sk_status sk_model_score_mse(sk_model* model, const sk_dataset* mixture, size_t n, uint64_t seed, double* out);
/* The exact score of a Gaussian mixture under an affine SDE, as a model without weights: checks a
 * sampler or a likelihood without training. data_spec_json: {"name": "mixture", "path": F} or
 * inline weights/means/stds; sde_spec_json: {"name": "vp"} etc. */
SK_API sk_status sk_model_oracle(const char* data_spec_json, const char* sde_spec_json, sk_model** out);
/* Negative log-likelihood through the probability-flow ODE (adaptive RK45) at x[n * dim].
 * options_json (may be NULL): {"divergence": "exact"|"hutchinson", "probes": K,
 * "noise": "rademacher"|"gaussian", "rtol", "atol", "dequantize": false}; Hutchinson probes are
 * drawn from `seed`. Writes the mean NLL in nats and bits per dimension; out_nll (may be NULL)
 * receives the n per-point values (out_len >= n). */
SK_API sk_status sk_model_nll(sk_model* model, const float* x, size_t n, size_t dim, const char* options_json,
                              uint64_t seed, double* out_mean_nats, double* out_bits_per_dim, double* out_nll,
                              size_t out_len);

/* ---- objectives: {"name": "dsm", "weighting": "sigma2"} ---- */
SK_API sk_status sk_objective_create(const char* spec_json, sk_objective** out);
SK_API void sk_objective_free(sk_objective* objective);
/* The loss of `model` on the batch x0[n * dim], with t and noise drawn from `seed`. */
SK_API sk_status sk_objective_loss(sk_objective* objective, sk_model* model, const float* x0, size_t n, size_t dim,
                                   uint64_t seed, double* out_loss);

/* ---- trainers ---- */
/* From a full training spec {"data":..,"sde":..,"model":..,"objective":..,"train":{..}}. */
SK_API sk_status sk_trainer_create(const char* spec_json, sk_trainer** out);
/* A trainer on the data of a handle (e.g. sk_dataset_from_array); spec_json is a training spec
 * without "data". The trainer shares the (immutable) data: the handle may be freed afterwards. */
SK_API sk_status sk_trainer_create_with_data(const char* spec_json, const sk_dataset* data, sk_trainer** out);
/* One rank of a data-parallel job (c10d Gloo, see docs/distributed.md). distributed_json (may be
 * NULL: everything from RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT): {"rank", "world_size",
 * "master_addr", "master_port", "timeout_s", "bucket_mb"}. Blocks until every rank has joined or
 * the timeout passes (SK_ERR_RUNTIME). checkpoint_path may be NULL (a new run from spec_json) or a
 * checkpoint to resume, on any rank count (then spec_json must be NULL). Only rank 0 should save. */
SK_API sk_status sk_trainer_create_distributed(const char* spec_json, const char* checkpoint_path,
                                               const char* distributed_json, sk_trainer** out);
/* This trainer's rank and the job's world size (0 and 1 outside a distributed job). */
SK_API sk_status sk_trainer_rank(const sk_trainer* trainer, int* out_rank, int* out_world_size);
/* Resumes a run from a checkpoint: weights, EMA, optimiser, step and RNG state, bit for bit. The
 * training data are rebuilt from the stored spec; when they cannot be read (a moved file: SK_ERR_IO,
 * an in-memory array) the message names them, and sk_trainer_load_with_data takes them again. */
SK_API sk_status sk_trainer_load(const char* checkpoint_path, sk_trainer** out);
/* Resumes a run on the given data (a moved file, an array); their sample shape must match the run's. */
SK_API sk_status sk_trainer_load_with_data(const char* checkpoint_path, const sk_dataset* data, sk_trainer** out);
SK_API void sk_trainer_free(sk_trainer* trainer);
/* One optimisation step; out_loss may be NULL. A non-finite loss is SK_ERR_RUNTIME. */
SK_API sk_status sk_trainer_step(sk_trainer* trainer, double* out_loss);
/* `steps` > 0 steps; progress may be NULL. */
SK_API sk_status sk_trainer_train(sk_trainer* trainer, int64_t steps, sk_progress_fn progress, void* user);
SK_API sk_status sk_trainer_step_count(const sk_trainer* trainer, int64_t* out_step);
/* The loss of the last step (0 before the first). */
SK_API sk_status sk_trainer_last_loss(const sk_trainer* trainer, double* out_loss);
/* {"step":..,"loss":..} plus the last metrics line of sk_trainer_train (lr, grad_norm, steps_per_s,
 * samples_per_s). */
SK_API sk_status sk_trainer_metrics(const sk_trainer* trainer, char* buf, size_t cap, size_t* out_len);
/* The fully resolved training spec (what a checkpoint stores). */
SK_API sk_status sk_trainer_spec(const sk_trainer* trainer, char* buf, size_t cap, size_t* out_len);
/* Writes a checkpoint atomically (temp file, fsync, rename). */
SK_API sk_status sk_trainer_save(sk_trainer* trainer, const char* path);
/* A new model handle with a copy of the current EMA weights (independent of the trainer). */
SK_API sk_status sk_trainer_model(sk_trainer* trainer, sk_model** out);

/* ---- samplers: {"name": "em", "steps": 500} | {"name": "dpmpp_2m", "steps": 20, "schedule": "karras"}
 * names: em ode_euler pc ode_heun ode_rk4 ode_rk45 edm_heun ald ddim euler_ancestral dpmpp_2m dpmpp_2m_sde
 * dpmpp_3m_sde; schedules karras exponential vp uniform (docs/samplers.md) ---- */
SK_API sk_status sk_sampler_create(const char* spec_json, sk_sampler** out);
SK_API void sk_sampler_free(sk_sampler* sampler);
/* Draws n samples from `model` into out[out_len >= n * dim]; progress and out_nfe may be NULL. */
SK_API sk_status sk_sampler_run(sk_sampler* sampler, sk_model* model, size_t n, uint64_t seed, float* out,
                                size_t out_len, sk_progress_fn progress, void* user, int64_t* out_nfe);

/* A run replayed from given randomness, in float64: x_T[n * dim] is the prior draw the run starts from,
 * and each later standard-normal draw is read in order from normals[normals_len] (too few fails with
 * SK_ERR_RUNTIME, saying how many it needs; *out_normals_used, if not NULL, receives how many were
 * used). Matches a run of another implementation given the same noise, e.g. k-diffusion's samplers with
 * a noise_sampler that hands out the same normals. out[out_len >= n * dim]; out_nfe may be NULL. */
SK_API sk_status sk_sampler_run_f64(sk_sampler* sampler, sk_model* model, size_t n, const double* x_T, size_t x_T_len,
                                    const double* normals, size_t normals_len, double* out, size_t out_len,
                                    size_t* out_normals_used, int64_t* out_nfe);

/* ---- sample-quality metrics on two sets a[na * dim], b[nb * dim] ---- */
SK_API sk_status sk_sliced_wasserstein(const float* a, size_t na, const float* b, size_t nb, size_t dim,
                                       size_t projections, uint64_t seed, double* out);
SK_API sk_status sk_mmd(const float* a, size_t na, const float* b, size_t nb, size_t dim, double* out);

/* ---- image metrics on the features of the project's Fashion-MNIST classifier (docs/metrics.md) ----
 * Images are n * 784 floats: (n, 1, 28, 28) row-major, in [-1, 1]. The classifier ships with the
 * library (models/fmnist_classifier.skc; found beside libscorekit.so, in <prefix>/share/scorekit/, or
 * at $SCOREKIT_CLASSIFIER); options may name another file as "classifier". A missing file is SK_ERR_IO.
 * Its 128 penultimate features of each image into out[out_len >= n * 128]; options_json may be NULL. */
SK_API sk_status sk_image_features(const float* images, size_t n, const char* options_json, float* out, size_t out_len);
/* Metrics between generated features a[na * dim] and reference features b[nb * dim] as a JSON string
 * {"fd", "kid", "kid_std", "precision", "recall"} (see "strings" below; the answer is under 200 bytes,
 * and asking only its length computes everything). options_json (may be NULL): {"kid_subsets": 100,
 * "kid_subset_size": 1000, "k": 3, "pr_max": 10000, "seed": 0}. */
SK_API sk_status sk_feature_metrics(const float* a, size_t na, const float* b, size_t nb, size_t dim,
                                    const char* options_json, char* buf, size_t cap, size_t* out_len);
/* n >= 2 images judged against Fashion-MNIST's test split, as JSON {"fd", "kid", "kid_std", "precision",
 * "recall", "classes" (fraction predicted per label), "n", "reference_n", "clamped", "reference",
 * "classifier"}; under 1 KiB. The reference features are computed once and cached in
 * options "cache_dir", else $SCOREKIT_CACHE_DIR, else ~/.cache/scorekit. NaN is SK_ERR_INVALID_ARGUMENT, so
 * are values beyond +-2; values in (1, 2] are clamped ("clamped" says how many). options_json (may be
 * NULL): the keys of sk_feature_metrics and {"data": "fashion-mnist", "split": "test", "path": DIR,
 * "classifier": FILE, "cache_dir": DIR}. */
SK_API sk_status sk_image_metrics(const float* images, size_t n, const char* options_json, char* buf, size_t cap,
                                  size_t* out_len);

/* Strings: functions taking (char* buf, size_t cap, size_t* out_len) copy a NUL-terminated string
 * into buf and set *out_len to its length without the NUL. Pass buf = NULL, cap = 0 to ask only
 * for the length; a cap that is too small is SK_ERR_INVALID_ARGUMENT. out_len may be NULL. */

#ifdef __cplusplus
}
#endif

#endif /* SCOREKIT_H */
