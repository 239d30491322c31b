// GroupNorm followed by SiLU in two passes over the data each way, instead of ATen's five
// (statistics, normalise, SiLU; SiLU', GroupNorm' twice). Built with CPU_CAPABILITY=AVX2 or AVX512
// and the matching -m flags (CMakeLists.txt), so it must include nothing that defines functions
// outside that namespace: ATen's vector types live in at::vec::CPU_CAPABILITY.
#include "models/group_norm_silu_kernel.hpp"

#include <ATen/cpu/vec/vec.h>

#include <cmath>

namespace scorekit::group_norm_silu_kernel::CPU_CAPABILITY {

namespace {
using Vec = at::vec::Vectorized<float>;

// The loops below run one body on whole vectors, then on the leftover scalars; these give both an
// exp. The vector one is ATen's inlined polynomial (within 20 ulp: a sigmoid good to ~3e-6), not
// Sleef's library call, which made the SiLU passes compute-bound.
inline Vec exp_of(const Vec& v) { return v.exp_u20(); }
inline float exp_of(float v) { return std::exp(v); }

// Calls body(T value-at-s, offset) over [0, n): vectors first, the tail as scalars.
template <typename Body>
inline void for_each(int64_t n, Body&& body) {
  int64_t s = 0;
  for (; s + Vec::size() <= n; s += Vec::size()) body(Vec(), s);
  for (; s < n; ++s) body(0.f, s);
}

inline Vec load(const float* p, const Vec&) { return Vec::loadu(p); }
inline float load(const float* p, float) { return *p; }
inline void store(float* p, const Vec& v) { v.store(p); }
inline void store(float* p, float v) { *p = v; }
inline double sum_of(const Vec& v) {
  alignas(64) float lanes[Vec::size()];
  v.store(lanes);
  double s = 0;
  for (float l : lanes) s += l;
  return s;
}

// Per-row accumulators for the vector part and the scalar tail together.
struct Sum {
  Vec v{0.f};
  float s = 0.f;
  void add(const Vec& x) { v = v + x; }
  void add(float x) { s += x; }
  double total() const { return sum_of(v) + s; }
};

// z·σ(z) and its derivative σ(z)·(1 + z·(1 − σ(z))).
template <typename T> inline T silu(const T& z) { return z / (T(1.f) + exp_of(T(0.f) - z)); }
template <typename T> inline T silu_derivative(const T& z) {
  const T sig = T(1.f) / (T(1.f) + exp_of(T(0.f) - z));
  return sig * (T(1.f) + z * (T(1.f) - sig));
}
}  // namespace

void forward(const Group& g, double eps, float* y, float* mean_out, float* rstd_out) {
  const int64_t n = g.size;
  const double count = double(g.channels) * double(n);
  double total = 0;
  for (int64_t c = 0; c < g.channels; ++c) {
    const float* x = g.x + c * n;
    Sum sum;
    for_each(n, [&](auto tag, int64_t s) { sum.add(load(x + s, tag)); });
    total += sum.total() + (g.shift ? double(g.shift[c]) * n : 0.0);
  }
  const double mean = total / count;
  // A second pass for the variance: E[x²] − mean² loses every digit when |mean| ≫ std.
  double squares = 0;
  for (int64_t c = 0; c < g.channels; ++c) {
    const float* x = g.x + c * n;
    const float d = float((g.shift ? g.shift[c] : 0.f) - mean);
    Sum sum;
    for_each(n, [&](auto tag, int64_t s) {
      using T = decltype(tag);
      const T u = load(x + s, tag) + T(d);
      sum.add(u * u);
    });
    squares += sum.total();
  }
  const double rstd = 1.0 / std::sqrt(squares / count + eps);
  for (int64_t c = 0; c < g.channels; ++c) {
    const float a = float(rstd * g.gamma[c]);
    const float b = float(g.beta[c] + ((g.shift ? g.shift[c] : 0.f) - mean) * a);
    const float* x = g.x + c * n;
    float* out = y + c * n;
    for_each(n, [&](auto tag, int64_t s) {
      using T = decltype(tag);
      store(out + s, silu(load(x + s, tag) * T(a) + T(b)));
    });
  }
  *mean_out = float(mean);
  *rstd_out = float(rstd);
}

void backward(const Group& g, const float* dy, float mean, float rstd, float* dx, float* dgamma, float* dbeta,
              float* dshift) {
  const int64_t n = g.size;
  const double count = double(g.channels) * double(n);
  // Pass 1: dz = dy·silu'(z) into dx, and per channel Σdz, Σdz·x, Σx.
  double ds = 0, db = 0;  // Σ_c γ_c Σ dz·u and Σ_c γ_c Σ dz, with u = x + shift
  for (int64_t c = 0; c < g.channels; ++c) {
    const float shift = g.shift ? g.shift[c] : 0.f;
    const float a = rstd * g.gamma[c], b = g.beta[c] + (shift - mean) * a;
    const float* x = g.x + c * n;
    const float* dyc = dy + c * n;
    float* dz = dx + c * n;
    Sum sum_dz, sum_dzx, sum_x;
    for_each(n, [&](auto tag, int64_t s) {
      using T = decltype(tag);
      const T xs = load(x + s, tag);
      const T d = load(dyc + s, tag) * silu_derivative(xs * T(a) + T(b));
      store(dz + s, d);
      sum_dz.add(d);
      sum_dzx.add(d * xs);
      sum_x.add(xs);
    });
    const double sdz = sum_dz.total(), sdzu = sum_dzx.total() + double(shift) * sdz;
    dgamma[c] = float(rstd * (sdzu - mean * sdz));
    dbeta[c] = float(sdz);
    ds += double(g.gamma[c]) * sdzu;
    db += double(g.gamma[c]) * sdz;
    if (dshift) dshift[c] = float(sum_x.total());  // Σx for now; finished below
  }
  // GroupNorm's backward: du = rstd·γ·dz + c2·u + c3.
  const double r = rstd;
  const double c2 = (db * mean - ds) * r * r * r / count;
  const double c3 = -c2 * mean - db * r / count;
  // Pass 2: dx = rstd·γ_c·dz + c2·x + (c3 + c2·shift_c), in place over dz.
  for (int64_t c = 0; c < g.channels; ++c) {
    const double shift = g.shift ? g.shift[c] : 0.0;
    const float c1 = rstd * g.gamma[c], k2 = float(c2), k3 = float(c3 + c2 * shift);
    const float* x = g.x + c * n;
    float* d = dx + c * n;
    for_each(n, [&](auto tag, int64_t s) {
      using T = decltype(tag);
      store(d + s, load(d + s, tag) * T(c1) + load(x + s, tag) * T(k2) + T(k3));
    });
    // dshift_c = Σ_s du = c1·Σdz + c2·Σu + n·c3.
    if (dshift) dshift[c] = float(c1 * double(dbeta[c]) + c2 * (double(dshift[c]) + n * shift) + n * c3);
  }
}

}  // namespace scorekit::group_norm_silu_kernel::CPU_CAPABILITY
