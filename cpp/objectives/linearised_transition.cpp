#include "objectives/linearised_transition.hpp"

#include <vector>

#include "objectives/van_loan.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Linearisation parse_linearisation(const std::string& name) {
  if (name == "frozen") return Linearisation::Frozen;
  if (name == "carried") return Linearisation::Carried;
  unknown_name("linearisation", name, {"frozen", "carried"});
}

namespace {

// expm1(x)/x with its limit 1 at x = 0.
at::Tensor phi1(const at::Tensor& x) {
  auto small = x.abs() < 1e-7;
  auto safe = at::where(small, at::ones_like(x), x);
  return at::where(small, 1 + 0.5 * x, at::expm1(safe) / safe);
}

// The hops a variant makes: each with its start, length, coefficient time and mean g² rate.
struct Hop {
  at::Tensor start, h, coef_time, g2rate;
};

std::vector<Hop> hops(const Sde& sde, const at::Tensor& s, const at::Tensor& t, Linearisation variant, int64_t substeps) {
  std::vector<Hop> out;
  if (variant == Linearisation::Frozen) {
    out.push_back({s, t - s, s, sde.diffusion(s).pow(2)});
    return out;
  }
  if (substeps < 1) throw Error("linearised transition: substeps must be >= 1");
  auto h = (t - s) / static_cast<double>(substeps);
  for (int64_t k = 0; k < substeps; ++k) {
    auto start = s + h * static_cast<double>(k);
    out.push_back({start, h, start + 0.5 * h, sde.g2_integral(start, start + h) / h});
  }
  return out;
}

}  // namespace

DiagonalGaussian linearised_transition(const Sde& sde, const at::Tensor& ys, const at::Tensor& s, const at::Tensor& t,
                                       Linearisation variant, int64_t substeps) {
  if (!sde.drift_is_elementwise())
    throw Error("SDE '" + sde.name() + "' has a coupled drift: use the full-Jacobian transition (\"jacobian\": \"full\")");
  at::NoGradGuard no_grad;
  auto mean = ys.clone(), var = at::zeros_like(ys);
  for (const auto& hop : hops(sde, s, t, variant, substeps)) {
    // Per coordinate: dy = (b + a (y − y_s)) dτ + ḡ dW over h, exactly.
    auto a = sde.drift_jacobian_diagonal(ys, hop.coef_time), b = sde.drift(ys, hop.coef_time);
    auto h = per_sample(hop.h, ys), g2 = per_sample(hop.g2rate, ys);
    auto x = a * h;
    auto growth = at::exp(x);
    mean = ys + (mean - ys) * growth + b * h * phi1(x);
    var = var * growth * growth + g2 * h * phi1(2 * x);
  }
  return {mean, var};
}

FullGaussian linearised_transition_full(const Sde& sde, const at::Tensor& ys_in, const at::Tensor& s, const at::Tensor& t,
                                        Linearisation variant, int64_t substeps) {
  at::NoGradGuard no_grad;
  const int64_t B = ys_in.size(0), d = ys_in.numel() / B;
  auto ys = ys_in.to(at::kDouble).contiguous();
  auto flat = ys.reshape({B, d});
  std::vector<Eigen::VectorXd> m(B, Eigen::VectorXd::Zero(d));  // mean − y_s
  std::vector<Eigen::MatrixXd> S(B, Eigen::MatrixXd::Zero(d, d));
  for (const auto& hop : hops(sde, s.to(at::kDouble), t.to(at::kDouble), variant, substeps)) {
    // Columns of J from d JVPs with unit vectors, for the whole batch at once.
    auto J = at::empty({B, d, d}, flat.options());
    for (int64_t j = 0; j < d; ++j) {
      auto e = at::zeros_like(flat);
      e.select(1, j).fill_(1.0);
      J.select(2, j).copy_(sde.drift_jvp(ys, hop.coef_time, e.reshape(ys.sizes())).reshape({B, d}));
    }
    auto f = sde.drift(ys, hop.coef_time).reshape({B, d}).contiguous();
    auto Jc = J.contiguous();
    auto h = hop.h.contiguous(), g2 = hop.g2rate.contiguous();
    for (int64_t i = 0; i < B; ++i) {
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> A(Jc[i].data_ptr<double>(), d, d);
      Eigen::Map<const Eigen::VectorXd> b(f[i].data_ptr<double>(), d);
      auto step = van_loan_step(A, b, g2[i].item<double>() * Eigen::MatrixXd::Identity(d, d), h[i].item<double>());
      m[i] = step.transition * m[i] + step.mean_offset;
      S[i] = step.transition * S[i] * step.transition.transpose() + step.cov;
    }
  }
  std::vector<double> mbuf(B * d), cbuf(B * d * d);
  for (int64_t i = 0; i < B; ++i) {
    Eigen::Map<Eigen::VectorXd>(mbuf.data() + i * d, d) = m[i];
    Eigen::Map<Eigen::MatrixXd>(cbuf.data() + i * d * d, d, d) = S[i];  // symmetric: order irrelevant
  }
  auto dbl = at::TensorOptions().dtype(at::kDouble);
  auto mean = flat + at::tensor(mbuf, dbl).reshape({B, d});
  auto cov = at::tensor(cbuf, dbl).reshape({B, d, d});
  return {mean, cov};
}

}  // namespace scorekit
