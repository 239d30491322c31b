#include "objectives/stf_target.hpp"

#include <algorithm>
#include <limits>

#include "util/error.hpp"

namespace scorekit {

at::Tensor stf_mean_shift(const at::Tensor& xt, const at::Tensor& own, const at::Tensor& pool,
                          const at::Tensor& alpha, const at::Tensor& sigma, int64_t n, int64_t offset) {
  const int64_t B = xt.size(0), P = pool.size(0);
  if (n < 1) throw Error("stf: the reference batch size must be at least 1");
  if (n - 1 > P)
    throw Error("stf: a reference batch of " + std::to_string(n) + " needs " + std::to_string(n - 1) +
                " other points, but only " + std::to_string(P) + " are available");
  const auto dbl = at::TensorOptions().dtype(at::kDouble).device(xt.device());
  auto x = xt.detach().reshape({B, -1}).to(at::kDouble);
  auto y1 = own.detach().reshape({B, -1}).to(at::kDouble);
  const auto pool_flat = pool.detach().reshape({P, -1});
  auto a = alpha.detach().to(at::kDouble).reshape({B, 1});
  auto inv2s2 = 0.5 / sigma.detach().to(at::kDouble).pow(2).reshape({B, 1});

  // The logits are differences of large numbers at small σ: double precision. The pool goes to
  // double a block at a time, so each copy is read back from cache rather than from memory.
  auto own_logit = (2 * a * (x * y1).sum(1, true) - a * a * (y1 * y1).sum(1, true)) * inv2s2;  // (B, 1)
  auto dots = at::empty({P, B}, dbl), pool_sq = at::empty({P}, dbl);  // y_j·x_i and |y_j|²
  constexpr int64_t kBlock = 256;
  const auto x_columns = x.t().contiguous();  // (D, B): a transposed view here halves the products' speed
  for (int64_t j = 0; j < P; j += kBlock) {
    const auto block = pool_flat.slice(0, j, std::min(P, j + kBlock)).to(at::kDouble);
    auto out = dots.slice(0, j, j + block.size(0));  // contiguous rows
    at::mm_out(out, block, x_columns);
    pool_sq.slice(0, j, j + block.size(0)).copy_(at::linalg_vector_norm(block, 2, {1}).square());
  }
  auto pool_logit = (2 * a * dots.t() - a * a * pool_sq.unsqueeze(0)) * inv2s2;  // (B, P)
  // Row i uses pool columns j with (j − i − offset) mod P < n − 1.
  auto rows = at::arange(B, dbl.dtype(at::kLong)).unsqueeze(1);
  auto cols = at::arange(P, dbl.dtype(at::kLong)).unsqueeze(0);
  auto lag = at::remainder(cols - rows - offset, P);
  pool_logit = pool_logit.masked_fill(lag >= n - 1, -std::numeric_limits<double>::infinity());

  auto logits = at::cat({own_logit, pool_logit}, 1);
  // softmax rather than exp(logits − logsumexp): the same weights, but MKL's exp, which the latter
  // reaches, takes a slow path for every logit that underflows (most of them), 30x the cost here.
  auto w = at::softmax(logits, 1);
  auto w_own = w.slice(1, 0, 1);
  // Weights below 1e-30 change no single-precision sum, but in single precision many are denormal,
  // and denormal inputs slow the product below six- to tenfold (a microcode assist each): zero them.
  auto w_pool = at::threshold(w.slice(1, 1, P + 1), 1e-30, 0);
  // A convex combination of the pool: the pool's own precision suffices, and saves a (B, P)·(P, D)
  // product in double.
  auto shift = at::matmul(w_pool.to(pool_flat.scalar_type()), pool_flat) - ((1 - w_own) * y1).to(pool_flat.scalar_type());
  return shift.to(xt.scalar_type()).reshape(own.sizes());
}

}  // namespace scorekit
