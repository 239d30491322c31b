// GroupNorm followed by SiLU in two passes over the data each way, instead of ATen's five
// (statistics, normalise, SiLU; SiLU', GroupNorm' twice). Built with CPU_CAPABILITY=AVX2 or AVX512
// and the matching -m flags (CMakeLists.txt), so it must include nothing that defines functions
// outside that namespace: ATen's vector types live in at::vec::CPU_CAPABILITY.
#include "models/group_norm_silu_kernel.hpp"

#include <ATen/cpu/vec/vec.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

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

// Pixels summed in float before their sum is added in double (channel_sums).
constexpr int64_t kBlock = 64;

// channel_sums for a pixel of V whole vectors (16–64 channels, the common case): the sums stay in
// registers.
template <int K, int V, typename Body>
void channel_sums_in_registers(int64_t pixels, Body&& body, double* out) {
  constexpr int64_t C = V * Vec::size();
  for (int64_t s0 = 0; s0 < pixels; s0 += kBlock) {
    std::array<std::array<Vec, V>, K> part;
    for (auto& row : part) row.fill(Vec(0.f));
    for (int64_t s = s0; s < std::min(pixels, s0 + kBlock); ++s)
      for (int v = 0; v < V; ++v) {
        const auto values = body(Vec(), s * C + v * Vec::size(), v * Vec::size());
        for (int k = 0; k < K; ++k) part[k][v] = part[k][v] + values[k];
      }
    for (int k = 0; k < K; ++k)
      for (int v = 0; v < V; ++v) {
        alignas(64) float lanes[Vec::size()];
        part[k][v].store(lanes);
        for (int64_t l = 0; l < Vec::size(); ++l) out[k * C + v * Vec::size() + l] += lanes[l];
      }
  }
}

// Channels-last sums: out[k·channels + c] += Σ over pixels of body(tag, pixel·channels + c, c)[k].
// The channels are the vector axis; no float sum runs over more than kBlock values.
template <int K, typename Body>
void channel_sums(int64_t pixels, int64_t channels, Body&& body, double* out) {
  switch (channels % Vec::size() ? 0 : channels / Vec::size()) {
    case 1: return channel_sums_in_registers<K, 1>(pixels, body, out);
    case 2: return channel_sums_in_registers<K, 2>(pixels, body, out);
    case 3: return channel_sums_in_registers<K, 3>(pixels, body, out);
    case 4: return channel_sums_in_registers<K, 4>(pixels, body, out);
  }
  std::vector<float> part(K * channels);
  for (int64_t s0 = 0; s0 < pixels; s0 += kBlock) {
    std::fill(part.begin(), part.end(), 0.f);
    for (int64_t s = s0; s < std::min(pixels, s0 + kBlock); ++s)
      for_each(channels, [&](auto tag, int64_t c) {
        const auto values = body(tag, s * channels + c, c);
        for (int k = 0; k < K; ++k) store(&part[k * channels + c], load(&part[k * channels + c], tag) + values[k]);
      });
    for (int64_t i = 0; i < K * channels; ++i) out[i] += part[i];
  }
}

// Calls body(tag, pixel·channels + c, c) for every channel of every pixel.
template <typename Body>
void for_each_entry(int64_t pixels, int64_t channels, Body&& body) {
  if (channels % Vec::size() == 0) {  // whole vectors: one flat loop
    for (int64_t i = 0, c = 0; i < pixels * channels; i += Vec::size()) {
      body(Vec(), i, c);
      c += Vec::size();
      if (c == channels) c = 0;
    }
    return;
  }
  for (int64_t s = 0; s < pixels; ++s) for_each(channels, [&](auto tag, int64_t c) { body(tag, s * channels + c, c); });
}

// GroupNorm's backward pass for one group: du = rstd·γ·dz + c2·u + c3, from ds = Σ_c γ_c Σ dz·u and
// db = Σ_c γ_c Σ dz over the group's `count` values (u = x + shift).
struct GroupBackward {
  double c2, c3;
  GroupBackward(double ds, double db, double mean, double rstd, double count)
      : c2((db * mean - ds) * rstd * rstd * rstd / count), c3(-c2 * mean - db * rstd / count) {}
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
  const auto [c2, c3] = GroupBackward(ds, db, mean, rstd, count);
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

// Channels-last: the same arithmetic as above with per-channel coefficients as vectors across the
// channels of a pixel (group g holds channels [g·per, (g+1)·per)).
void forward_channels_last(const Pixels& p, double eps, float* y, float* mean_out, float* rstd_out) {
  const int64_t C = p.channels, S = p.size, per = C / p.groups;
  const double count = double(per) * double(S);
  auto shift = [&](int64_t c) { return p.shift ? p.shift[c] : 0.f; };
  std::vector<double> sums(C, 0.0);
  channel_sums<1>(S, C, [&](auto tag, int64_t i, int64_t) { return std::array{load(p.x + i, tag)}; }, sums.data());
  std::vector<double> mean(p.groups, 0.0);
  for (int64_t c = 0; c < C; ++c) mean[c / per] += sums[c] + double(shift(c)) * S;
  std::vector<float> d(C);  // shift − mean: x + d is the centred value
  for (int64_t g = 0; g < p.groups; ++g) mean[g] /= count;
  for (int64_t c = 0; c < C; ++c) d[c] = float(shift(c) - mean[c / per]);
  // A second pass for the variance, as above.
  std::vector<double> squares(C, 0.0);
  channel_sums<1>(S, C, [&](auto tag, int64_t i, int64_t c) {
    const auto u = load(p.x + i, tag) + load(&d[c], tag);
    return std::array{u * u};
  }, squares.data());
  std::vector<double> group_squares(p.groups, 0.0);
  for (int64_t c = 0; c < C; ++c) group_squares[c / per] += squares[c];
  std::vector<float> a(C), b(C);
  for (int64_t g = 0; g < p.groups; ++g) {
    const double rstd = 1.0 / std::sqrt(group_squares[g] / count + eps);
    mean_out[g] = float(mean[g]);
    rstd_out[g] = float(rstd);
    for (int64_t c = g * per; c < (g + 1) * per; ++c) {
      a[c] = float(rstd * p.gamma[c]);
      b[c] = float(p.beta[c] + d[c] * a[c]);
    }
  }
  for_each_entry(S, C, [&](auto tag, int64_t i, int64_t c) {
    store(y + i, silu(load(p.x + i, tag) * load(&a[c], tag) + load(&b[c], tag)));
  });
}

void backward_channels_last(const Pixels& p, const float* dy, const float* mean, const float* rstd, float* dx,
                            float* dgamma, float* dbeta, float* dshift) {
  const int64_t C = p.channels, S = p.size, per = C / p.groups;
  const double count = double(per) * double(S);
  auto shift = [&](int64_t c) { return p.shift ? p.shift[c] : 0.f; };
  std::vector<float> a(C), b(C);
  for (int64_t c = 0; c < C; ++c) {
    a[c] = rstd[c / per] * p.gamma[c];
    b[c] = p.beta[c] + (shift(c) - mean[c / per]) * a[c];
  }
  // Pass 1: dz = dy·silu'(z) into dx, and per channel Σdz, Σdz·x, Σx.
  std::vector<double> sums(3 * C, 0.0);
  channel_sums<3>(S, C, [&](auto tag, int64_t i, int64_t c) {
    using T = decltype(tag);
    const T xs = load(p.x + i, tag);
    const T dz = load(dy + i, tag) * silu_derivative(xs * load(&a[c], tag) + load(&b[c], tag));
    store(dx + i, dz);
    return std::array{dz, dz * xs, xs};
  }, sums.data());
  const double* sum_dz = sums.data();
  const double* sum_dzx = sum_dz + C;
  const double* sum_x = sum_dzx + C;
  std::vector<double> ds(p.groups, 0.0), db(p.groups, 0.0);
  for (int64_t c = 0; c < C; ++c) {
    const int64_t g = c / per;
    const double sdzu = sum_dzx[c] + double(shift(c)) * sum_dz[c];
    dgamma[c] = float(rstd[g] * (sdzu - mean[g] * sum_dz[c]));
    dbeta[c] = float(sum_dz[c]);
    ds[g] += double(p.gamma[c]) * sdzu;
    db[g] += double(p.gamma[c]) * sum_dz[c];
  }
  // dx = rstd·γ_c·dz + c2·x + (c3 + c2·shift_c), with c2 and c3 per group.
  std::vector<GroupBackward> groups;
  for (int64_t g = 0; g < p.groups; ++g) groups.emplace_back(ds[g], db[g], mean[g], rstd[g], count);
  std::vector<float> k2(C), k3(C);
  for (int64_t c = 0; c < C; ++c) {
    const auto [c2, c3] = groups[c / per];
    k2[c] = float(c2);
    k3[c] = float(c3 + c2 * shift(c));
    if (dshift) dshift[c] = float(a[c] * sum_dz[c] + c2 * (sum_x[c] + double(shift(c)) * S) + S * c3);
  }
  for_each_entry(S, C, [&](auto tag, int64_t i, int64_t c) {
    store(dx + i, load(dx + i, tag) * load(&a[c], tag) + load(p.x + i, tag) * load(&k2[c], tag) + load(&k3[c], tag));
  });
}

}  // namespace scorekit::group_norm_silu_kernel::CPU_CAPABILITY
