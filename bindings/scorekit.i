/* scorekit.i — one SWIG interface over capi/include/scorekit.h for Python, Java and C#.
 *
 * The header is %included for its constants, enum and sk_*_free functions. Calls with pointer
 * outputs (sk_X** out, size_t* out_dim, double* out, char* buf) are wrapped by small skw_* helpers
 * defined here, so that every language sees the same plain shape:
 *   - creators return the handle, or NULL on failure;
 *   - value getters return the value;
 *   - every skw_* call records its status; skw_last_status() / skw_last_error() read it back, and the
 *     hand-written layer of each language turns a non-zero status into that language's exception;
 *   - float arrays travel as (pointer, length) pairs whose lengths are always the real lengths of
 *     the caller's arrays (Python: buffer protocol; Java: float[]; C#: float[] pinned by P/Invoke),
 *     so every length is checked in C;
 *   - the progress callback is a SWIG director class, skw_progress, subclassed in each language.
 * The wrapper is compiled as C++ (directors need it); no C++ exception ever reaches libscorekit. */

%module(directors="1", threads="1") scorekit_swig

#if defined(SWIGPYTHON)
/* Python: the GIL is released during the calls that compute or do I/O, so other Python threads run
 * meanwhile, and re-taken by the progress director (and by nothing else: the remaining calls are short). */
%nothreadallow;
%threadallow skw_dataset_sample;
%threadallow skw_sde_prior_sample;
%threadallow skw_model_load;
%threadallow skw_model_load_posthoc_ema;
%threadallow skw_model_score;
%threadallow skw_model_score_mse;
%threadallow skw_model_nll;
%threadallow skw_objective_loss;
%threadallow skw_trainer_create;
%threadallow skw_trainer_load;
%threadallow skw_trainer_step;
%threadallow skw_trainer_train;
%threadallow skw_trainer_save;
%threadallow skw_sampler_run;
%threadallow skw_sampler_run_f64;
%threadallow skw_model_score_f64;
%threadallow skw_sliced_wasserstein;
%threadallow skw_mmd;
%threadallow skw_image_features;
%threadallow skw_feature_metrics;
%threadallow skw_image_metrics;
#endif

%{
#include <scorekit.h>
#include <string>
#include <cstring>
#include <cmath>
#include <cstdlib>
%}

%include <stdint.i>

/* ---- the raw header: constants, the status enum, version and free functions ---- */
%ignore sk_dataset_create; %ignore sk_dataset_dim; %ignore sk_dataset_sample; %ignore sk_dataset_from_array;
%ignore sk_sde_create; %ignore sk_sde_marginal; %ignore sk_sde_prior_sample;
%ignore sk_model_create; %ignore sk_model_load; %ignore sk_model_load_posthoc_ema; %ignore sk_model_dim; %ignore sk_model_score;
%ignore sk_model_spec; %ignore sk_model_oracle; %ignore sk_model_score_mse; %ignore sk_model_nll; %ignore sk_build_info;
%ignore sk_objective_create; %ignore sk_objective_loss;
%ignore sk_trainer_create; %ignore sk_trainer_load; %ignore sk_trainer_step; %ignore sk_trainer_train;
%ignore sk_trainer_step_count; %ignore sk_trainer_last_loss; %ignore sk_trainer_metrics;
%ignore sk_trainer_spec; %ignore sk_trainer_save; %ignore sk_trainer_model;
%ignore sk_trainer_create_with_data; %ignore sk_trainer_load_with_data;
%ignore sk_sampler_create; %ignore sk_sampler_run; %ignore sk_sampler_run_f64; %ignore sk_model_score_f64;
%ignore sk_sliced_wasserstein; %ignore sk_mmd;
%ignore sk_image_features; %ignore sk_feature_metrics; %ignore sk_image_metrics;
%ignore sk_progress; %ignore sk_progress_fn;
#define __attribute__(x)
%include "scorekit.h"

/* ---- arrays ---- */
#if defined(SWIGPYTHON)
/* Any C-contiguous buffer of float32 (format 'f') or float64 ('d'); outputs must be writable. */
%{
static int skw_get_buffer(PyObject* obj, Py_buffer* view, int writable, char code, int itemsize) {
  int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
  if (PyObject_GetBuffer(obj, view, flags) != 0) return -1;
  const char* f = view->format ? view->format : "B";
  if (*f == '<' || *f == '=' || *f == '@') ++f;
  if (view->itemsize != itemsize || f[0] != code || f[1] != '\0') {
    PyBuffer_Release(view);
    PyErr_Format(PyExc_TypeError, "expected a contiguous buffer of '%c' (got format '%s')", code,
                 view->format ? view->format : "B");
    return -1;
  }
  return 0;
}
%}
%define SKW_PY_BUFFER(CTYPE, WRITABLE, CODE)
%typemap(in) (CTYPE* BUF, long long BUF_LEN) (Py_buffer view, int got = 0) {
  if (skw_get_buffer($input, &view, WRITABLE, CODE, (int)sizeof(CTYPE)) != 0) SWIG_fail;
  got = 1;
  $1 = ($1_ltype)view.buf;
  $2 = (long long)(view.len / (Py_ssize_t)sizeof(CTYPE));
}
%typemap(freearg) (CTYPE* BUF, long long BUF_LEN) {
  if (got$argnum) PyBuffer_Release(&view$argnum);
}
%enddef
SKW_PY_BUFFER(const float, 0, 'f')
SKW_PY_BUFFER(float, 1, 'f')
SKW_PY_BUFFER(double, 1, 'd')
SKW_PY_BUFFER(const double, 0, 'd')

#elif defined(SWIGJAVA)
/* The JNI library is loaded by the first use of any class: -Dscorekit.jni.library=/path/libX.so, else
 * the libraries inside the jar, else scorekit_swig_java on java.library.path (org.scorekit.NativeLoader). */
%pragma(java) jniclasscode=%{
  static {
    org.scorekit.NativeLoader.load();
  }
%}
%define SKW_JAVA_ARRAY(CTYPE, JTYPE, JARR, JNAME, MODE)
%typemap(jni) (CTYPE* BUF, long long BUF_LEN) #JARR
%typemap(javain) (CTYPE* BUF, long long BUF_LEN) "$javainput"
%typemap(in) (CTYPE* BUF, long long BUF_LEN) {
  if (!$input) {
    SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "array is null");
    return $null;
  }
  $2 = (long long)jenv->GetArrayLength($input);
  $1 = ($1_ltype)jenv->Get##JNAME##ArrayElements($input, 0);
  if (!$1) return $null;
}
%typemap(freearg) (CTYPE* BUF, long long BUF_LEN) {
  if ($1) jenv->Release##JNAME##ArrayElements($input, (JTYPE*)$1, MODE);
}
%enddef
SKW_JAVA_ARRAY(const float, jfloat, jfloatArray, Float, JNI_ABORT)
SKW_JAVA_ARRAY(float, jfloat, jfloatArray, Float, 0)
SKW_JAVA_ARRAY(double, jdouble, jdoubleArray, Double, 0)
SKW_JAVA_ARRAY(const double, jdouble, jdoubleArray, Double, JNI_ABORT)
/* jtype/jstype must be Java names, not JNI ones. */
%typemap(jtype) (const float* BUF, long long BUF_LEN) "float[]"
%typemap(jstype) (const float* BUF, long long BUF_LEN) "float[]"
%typemap(jtype) (float* BUF, long long BUF_LEN) "float[]"
%typemap(jstype) (float* BUF, long long BUF_LEN) "float[]"
%typemap(jtype) (double* BUF, long long BUF_LEN) "double[]"
%typemap(jstype) (double* BUF, long long BUF_LEN) "double[]"
%typemap(jtype) (const double* BUF, long long BUF_LEN) "double[]"
%typemap(jstype) (const double* BUF, long long BUF_LEN) "double[]"

#elif defined(SWIGCSHARP)
/* C#: arrays are pinned by P/Invoke and their length passed next to them by the hand layer. */
%include <arrays_csharp.i>
#endif

#if !defined(SWIGCSHARP)
%apply (const float* BUF, long long BUF_LEN) { (const float* x, long long x_len), (const float* t, long long t_len),
                                               (const float* y, long long y_len) }
%apply (float* BUF, long long BUF_LEN) { (float* out, long long out_len) }
%apply (double* BUF, long long BUF_LEN) { (double* dout, long long dout_len) }
%apply (const double* BUF, long long BUF_LEN) { (const double* dx, long long dx_len), (const double* dt, long long dt_len),
                                                (const double* dnormals, long long dnormals_len) }
#else
%apply float INPUT[] { const float* x, const float* t, const float* y }
%apply float OUTPUT[] { float* out }
%apply double OUTPUT[] { double* dout }
%apply double INPUT[] { const double* dx, const double* dt, const double* dnormals }
#endif

/* ---- the progress callback: a director class each language subclasses ---- */
%feature("director") skw_progress;
#if defined(SWIGPYTHON)
/* A Python exception escaping the callback (Ctrl-C can strike before the layer's own try) stops
 * the call (the trampoline returns non-zero) and is raised from it once libscorekit has returned. */
%exception skw_trainer_train {
  $action
  if (PyErr_Occurred()) SWIG_fail;
}
%exception skw_sampler_run {
  $action
  if (PyErr_Occurred()) SWIG_fail;
}
#endif

%inline %{
struct skw_progress {
  virtual ~skw_progress() {}
  /* Return 0 to go on, non-zero to stop. Must not throw: the language layers catch everything. */
  virtual int progress(long long done, long long total, long long step, double loss) { return 0; }
};
%}

%{
static thread_local int skw_status_ = 0;
static thread_local std::string skw_message_;
static thread_local long long skw_nfe_ = 0;
static thread_local std::string skw_string_;

/* Records the status of a libscorekit call (its message stays in sk_last_error). */
static int skw_note(sk_status s) {
  skw_status_ = (int)s;
  skw_message_.clear();
  return (int)s;
}
/* Records a failure found by the wrapper itself. */
static int skw_fail(sk_status s, const std::string& message) {
  skw_status_ = (int)s;
  skw_message_ = message;
  return (int)s;
}
static int skw_trampoline(void* user, const sk_progress* p) {
  try {
    return static_cast<skw_progress*>(user)->progress(p->done, p->total, p->step, p->loss);
  } catch (...) {
    return 1;
  }
}
static bool skw_nonneg(long long v, const char* what) {
  if (v >= 0) return true;
  skw_fail(SK_ERR_INVALID_ARGUMENT, std::string(what) + " must not be negative");
  return false;
}
/* A flat array of `len` values that holds whole rows of `dim` values; else records why and returns false. */
static bool skw_rows(long long len, long long dim, const char* what) {
  if (dim <= 0) {
    skw_fail(SK_ERR_INVALID_ARGUMENT, "dim must be positive");
    return false;
  }
  if (len % dim == 0) return true;
  skw_fail(SK_ERR_INVALID_ARGUMENT, std::string(what) + " has " + std::to_string(len) + " values, not a multiple of dim " +
                                        std::to_string(dim));
  return false;
}
static const char* skw_string(sk_status (*fn)(const void*, char*, size_t, size_t*), const void* h) {
  size_t n = 0;
  if (skw_note(fn(h, NULL, 0, &n)) != 0) return NULL;
  skw_string_.assign(n + 1, '\0');
  if (skw_note(fn(h, &skw_string_[0], n + 1, &n)) != 0) return NULL;
  skw_string_.resize(n);
  return skw_string_.c_str();
}
%}

%inline %{
/* The status of the last skw_* call on this thread (0 = SK_OK). */
int skw_last_status(void) { return skw_status_; }
/* Its message: the wrapper's own, or libscorekit's sk_last_error(). */
const char* skw_last_error(void) { return skw_message_.empty() ? sk_last_error() : skw_message_.c_str(); }
/* Score evaluations of the last successful skw_sampler_run on this thread. */
long long skw_last_nfe(void) { return skw_nfe_; }
int skw_has_nll(void) {
#ifdef SKW_HAVE_NLL
  return 1;
#else
  return 0;
#endif
}

/* ---- data sets ---- */
sk_dataset* skw_dataset_create(const char* spec_json) {
  sk_dataset* d = NULL;
  skw_note(sk_dataset_create(spec_json, &d));
  return d;
}
/* x holds the array's values row-major; shape_json is its full shape as a JSON array, "[n, dim]" or
 * "[n, C, H, W]" (the language layers write it from their own shape). */
sk_dataset* skw_dataset_from_array(const float* x, long long x_len, const char* shape_json) {
  if (!shape_json) { skw_fail(SK_ERR_INVALID_ARGUMENT, "shape is NULL"); return NULL; }
  int64_t shape[8];
  size_t len = 0;
  const char* p = shape_json;
  while (*p) {
    if (*p == '[' || *p == ']' || *p == ',' || *p == ' ') { ++p; continue; }
    char* end = NULL;
    long long v = strtoll(p, &end, 10);
    if (end == p || len == 8) {
      skw_fail(SK_ERR_INVALID_ARGUMENT, std::string("shape must be 2 to 8 integers, got ") + shape_json);
      return NULL;
    }
    shape[len++] = (int64_t)v;
    p = end;
  }
  if (!skw_nonneg(x_len, "x_len")) return NULL;
  sk_dataset* d = NULL;
  skw_note(sk_dataset_from_array(x, (size_t)x_len, shape, len, &d));
  return d;
}
long long skw_dataset_dim(const sk_dataset* data) {
  size_t dim = 0;
  return skw_note(sk_dataset_dim(data, &dim)) == 0 ? (long long)dim : -1;
}
int skw_dataset_sample(const sk_dataset* data, long long n, long long seed, float* out, long long out_len) {
  if (!skw_nonneg(n, "n")) return skw_status_;
  return skw_note(sk_dataset_sample(data, (size_t)n, (uint64_t)seed, out, (size_t)out_len));
}

/* ---- SDEs ---- */
sk_sde* skw_sde_create(const char* spec_json) {
  sk_sde* s = NULL;
  skw_note(sk_sde_create(spec_json, &s));
  return s;
}
/* dout[0] = alpha, dout[1] = sigma. */
int skw_sde_marginal(const sk_sde* sde, double t, double* dout, long long dout_len) {
  if (dout_len < 2) return skw_fail(SK_ERR_INVALID_ARGUMENT, "marginal needs room for 2 values");
  return skw_note(sk_sde_marginal(sde, t, &dout[0], &dout[1]));
}
int skw_sde_prior_sample(const sk_sde* sde, long long n, long long dim, long long seed, float* out, long long out_len) {
  if (!skw_nonneg(n, "n") || !skw_nonneg(dim, "dim")) return skw_status_;
  return skw_note(sk_sde_prior_sample(sde, (size_t)n, (size_t)dim, (uint64_t)seed, out, (size_t)out_len));
}

/* ---- models ---- */
sk_model* skw_model_create(const char* spec_json, const sk_sde* sde, long long dim) {
  sk_model* m = NULL;
  if (!skw_nonneg(dim, "dim")) return NULL;
  skw_note(sk_model_create(spec_json, sde, (size_t)dim, &m));
  return m;
}
sk_model* skw_model_load(const char* checkpoint_path) {
  sk_model* m = NULL;
  skw_note(sk_model_load(checkpoint_path, &m));
  return m;
}
/* The exact score of a Gaussian mixture under an affine SDE (both given as JSON specs). */
sk_model* skw_model_oracle(const char* data_spec, const char* sde_spec) {
  sk_model* m = NULL;
  skw_note(sk_model_oracle(data_spec, sde_spec, &m));
  return m;
}
/* EDM2's post-hoc EMA of length sigma_rel, rebuilt from the checkpoint's snapshots. */
sk_model* skw_model_load_posthoc_ema(const char* checkpoint_path, double sigma_rel) {
  sk_model* m = NULL;
  skw_note(sk_model_load_posthoc_ema(checkpoint_path, sigma_rel, &m));
  return m;
}
long long skw_model_dim(const sk_model* model) {
  size_t dim = 0;
  return skw_note(sk_model_dim(model, &dim)) == 0 ? (long long)dim : -1;
}
/* x holds n * dim values: its length must be a multiple of dim. */
int skw_model_score(sk_model* model, const float* x, long long x_len, long long dim, const float* t, long long t_len,
                    float* out, long long out_len) {
  if (!skw_rows(x_len, dim, "x")) return skw_status_;
  return skw_note(sk_model_score(model, x, (size_t)(x_len / dim), (size_t)dim, t, (size_t)t_len, out, (size_t)out_len));
}
/* sk_model_score in float64 (dx, dt, dout as x, t, out above). */
int skw_model_score_f64(sk_model* model, const double* dx, long long dx_len, long long dim, const double* dt,
                        long long dt_len, double* dout, long long dout_len) {
  if (!skw_rows(dx_len, dim, "x")) return skw_status_;
  return skw_note(sk_model_score_f64(model, dx, (size_t)(dx_len / dim), (size_t)dim, dt, (size_t)dt_len, dout,
                                     (size_t)dout_len));
}
/* sk_build_info's JSON text (`scorekit info`). */
const char* skw_build_info(void) {
  return skw_string([](const void*, char* buf, size_t cap, size_t* len) { return sk_build_info(buf, cap, len); }, nullptr);
}
const char* skw_model_spec(const sk_model* model) {
  return skw_string((sk_status(*)(const void*, char*, size_t, size_t*))sk_model_spec, model);
}
/* dout[0]: the error, averaged per dimension. */
int skw_model_score_mse(sk_model* model, const sk_dataset* mixture, long long n, long long seed, double* dout,
                        long long dout_len) {
  if (!skw_nonneg(n, "n")) return skw_status_;
  if (dout_len < 1) return skw_fail(SK_ERR_INVALID_ARGUMENT, "score_mse needs room for 1 value");
  return skw_note(sk_model_score_mse(model, mixture, (size_t)n, (uint64_t)seed, dout));
}
/* dout[0] = mean NLL in nats, dout[1] = bits per dimension. */
int skw_model_nll(sk_model* model, const float* x, long long x_len, long long dim, const char* options_json,
                  double* dout, long long dout_len) {
#ifdef SKW_HAVE_NLL
  if (!skw_rows(x_len, dim, "x")) return skw_status_;
  if (dout_len < 2) return skw_fail(SK_ERR_INVALID_ARGUMENT, "nll needs room for 2 values");
  // Hutchinson probes (when asked for) come from a fixed seed, so a call is reproducible.
  return skw_note(sk_model_nll(model, x, (size_t)(x_len / dim), (size_t)dim, options_json, 0, &dout[0], &dout[1],
                               NULL, 0));
#else
  return skw_fail(SK_ERR_STATE, "this libscorekit has no sk_model_nll");
#endif
}

/* ---- objectives ---- */
sk_objective* skw_objective_create(const char* spec_json) {
  sk_objective* o = NULL;
  skw_note(sk_objective_create(spec_json, &o));
  return o;
}
double skw_objective_loss(sk_objective* objective, sk_model* model, const float* x, long long x_len, long long dim,
                          long long seed) {
  if (!skw_rows(x_len, dim, "x")) return NAN;
  double loss = NAN;
  skw_note(sk_objective_loss(objective, model, x, (size_t)(x_len / dim), (size_t)dim, (uint64_t)seed, &loss));
  return loss;
}

/* ---- trainers ---- */
sk_trainer* skw_trainer_create(const char* spec_json) {
  sk_trainer* t = NULL;
  skw_note(sk_trainer_create(spec_json, &t));
  return t;
}
sk_trainer* skw_trainer_create_with_data(const char* spec_json, const sk_dataset* data) {
  sk_trainer* t = NULL;
  skw_note(sk_trainer_create_with_data(spec_json, data, &t));
  return t;
}
sk_trainer* skw_trainer_load_with_data(const char* checkpoint_path, const sk_dataset* data) {
  sk_trainer* t = NULL;
  skw_note(sk_trainer_load_with_data(checkpoint_path, data, &t));
  return t;
}
sk_trainer* skw_trainer_load(const char* checkpoint_path) {
  sk_trainer* t = NULL;
  skw_note(sk_trainer_load(checkpoint_path, &t));
  return t;
}
double skw_trainer_step(sk_trainer* trainer) {
  double loss = NAN;
  skw_note(sk_trainer_step(trainer, &loss));
  return loss;
}
/* progress may be NULL. */
int skw_trainer_train(sk_trainer* trainer, long long steps, skw_progress* progress) {
  return skw_note(sk_trainer_train(trainer, (int64_t)steps, progress ? skw_trampoline : NULL,
                                   progress));
}
long long skw_trainer_step_count(const sk_trainer* trainer) {
  int64_t s = 0;
  return skw_note(sk_trainer_step_count(trainer, &s)) == 0 ? (long long)s : -1;
}
double skw_trainer_last_loss(const sk_trainer* trainer) {
  double loss = NAN;
  skw_note(sk_trainer_last_loss(trainer, &loss));
  return loss;
}
const char* skw_trainer_metrics(const sk_trainer* trainer) {
  return skw_string((sk_status(*)(const void*, char*, size_t, size_t*))sk_trainer_metrics, trainer);
}
const char* skw_trainer_spec(const sk_trainer* trainer) {
  return skw_string((sk_status(*)(const void*, char*, size_t, size_t*))sk_trainer_spec, trainer);
}
int skw_trainer_save(sk_trainer* trainer, const char* path) { return skw_note(sk_trainer_save(trainer, path)); }
sk_model* skw_trainer_model(sk_trainer* trainer) {
  sk_model* m = NULL;
  skw_note(sk_trainer_model(trainer, &m));
  return m;
}

/* ---- samplers ---- */
sk_sampler* skw_sampler_create(const char* spec_json) {
  sk_sampler* s = NULL;
  skw_note(sk_sampler_create(spec_json, &s));
  return s;
}
/* Draws n samples into out; the score evaluations are read with skw_last_nfe(). */
int skw_sampler_run(sk_sampler* sampler, sk_model* model, long long n, long long seed, float* out, long long out_len,
                    skw_progress* progress) {
  if (!skw_nonneg(n, "n")) return skw_status_;
  int64_t nfe = 0;
  int s = skw_note(sk_sampler_run(sampler, model, (size_t)n, (uint64_t)seed, out, (size_t)out_len,
                                  progress ? skw_trampoline : NULL, progress, &nfe));
  if (s == 0) skw_nfe_ = (long long)nfe;
  return s;
}

/* sk_sampler_run_f64: n = dx_len / dim samples from the prior draw dx and the normals; returns how many
 * normals were used, or -1 (the status says why); the NFE as for skw_sampler_run. */
long long skw_sampler_run_f64(sk_sampler* sampler, sk_model* model, const double* dx, long long dx_len, long long dim,
                              const double* dnormals, long long dnormals_len, double* dout, long long dout_len) {
  if (!skw_rows(dx_len, dim, "x_T")) return -1;
  size_t used = 0;
  int64_t nfe = 0;
  if (skw_note(sk_sampler_run_f64(sampler, model, (size_t)(dx_len / dim), dx, (size_t)dx_len, dnormals,
                                  (size_t)dnormals_len, dout, (size_t)dout_len, &used, &nfe)) != 0)
    return -1;
  skw_nfe_ = (long long)nfe;
  return (long long)used;
}

/* ---- metrics ---- */
double skw_sliced_wasserstein(const float* x, long long x_len, const float* y, long long y_len, long long dim,
                              long long projections, long long seed) {
  double r = NAN;
  if (dim <= 0) { skw_fail(SK_ERR_INVALID_ARGUMENT, "dim must be positive"); return r; }
  if (x_len % dim != 0 || y_len % dim != 0) {
    skw_fail(SK_ERR_INVALID_ARGUMENT, "array lengths must be multiples of dim " + std::to_string(dim));
    return r;
  }
  if (!skw_nonneg(projections, "projections")) return r;
  skw_note(sk_sliced_wasserstein(x, (size_t)(x_len / dim), y, (size_t)(y_len / dim), (size_t)dim,
                                 (size_t)projections, (uint64_t)seed, &r));
  return r;
}
double skw_mmd(const float* x, long long x_len, const float* y, long long y_len, long long dim) {
  double r = NAN;
  if (dim <= 0) { skw_fail(SK_ERR_INVALID_ARGUMENT, "dim must be positive"); return r; }
  if (x_len % dim != 0 || y_len % dim != 0) {
    skw_fail(SK_ERR_INVALID_ARGUMENT, "array lengths must be multiples of dim " + std::to_string(dim));
    return r;
  }
  skw_note(sk_mmd(x, (size_t)(x_len / dim), y, (size_t)(y_len / dim), (size_t)dim, &r));
  return r;
}

/* ---- image metrics (Fashion-MNIST classifier features); images are flat, 784 values each ---- */
/* Features of x_len / 784 images into out (>= 128 per image); returns the status. */
int skw_image_features(const float* x, long long x_len, const char* options_json, float* out, long long out_len) {
  if (x_len % 784 != 0) return skw_fail(SK_ERR_INVALID_ARGUMENT, "images must hold 784 (1 x 28 x 28) values each");
  return skw_note(sk_image_features(x, (size_t)(x_len / 784), options_json, out, (size_t)out_len));
}
/* The metrics' JSON text, or NULL (the answers are short: one call with room to spare, no length query). */
const char* skw_feature_metrics(const float* x, long long x_len, const float* y, long long y_len, long long dim,
                                const char* options_json) {
  if (dim <= 0) { skw_fail(SK_ERR_INVALID_ARGUMENT, "dim must be positive"); return NULL; }
  if (x_len % dim != 0 || y_len % dim != 0) {
    skw_fail(SK_ERR_INVALID_ARGUMENT, "array lengths must be multiples of dim " + std::to_string(dim));
    return NULL;
  }
  skw_string_.assign(4096, '\0');
  size_t n = 0;
  if (skw_note(sk_feature_metrics(x, (size_t)(x_len / dim), y, (size_t)(y_len / dim), (size_t)dim, options_json,
                                  &skw_string_[0], skw_string_.size(), &n)) != 0)
    return NULL;
  skw_string_.resize(n);
  return skw_string_.c_str();
}
const char* skw_image_metrics(const float* x, long long x_len, const char* options_json) {
  if (x_len % 784 != 0) { skw_fail(SK_ERR_INVALID_ARGUMENT, "images must hold 784 (1 x 28 x 28) values each"); return NULL; }
  skw_string_.assign(8192, '\0');
  size_t n = 0;
  if (skw_note(sk_image_metrics(x, (size_t)(x_len / 784), options_json, &skw_string_[0], skw_string_.size(), &n)) != 0)
    return NULL;
  skw_string_.resize(n);
  return skw_string_.c_str();
}
%}
