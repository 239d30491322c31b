// local-DSM: the linearised transition against exact transitions (VP, OU), Van Loan against the
// per-coordinate closed form, the linearisation error against Monte Carlo under the λ schedule
// and a fixed gap, refusal of affine-only objectives, and learning a nonlinear SDE's score
// against the Fokker–Planck reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <unsupported/Eigen/MatrixFunctions>

#include "eval/reference_marginals.hpp"
#include "objectives/linearised_transition.hpp"
#include "objectives/local_dsm.hpp"
#include "objectives/van_loan.hpp"
#include "ou_sde.hpp"
#include "sde/vp_sde.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

at::Tensor dbl(std::initializer_list<double> v) { return at::tensor(v, at::kDouble); }

// Mean and variance of y_t given y_s (one scalar per row of ys (B, 1)) from M Euler–Maruyama paths
// with the SDE's own (fine) step count.
std::pair<at::Tensor, at::Tensor> monte_carlo(const Sde& sde, const at::Tensor& ys, const at::Tensor& s,
                                              const at::Tensor& t, int64_t M, at::Generator& gen) {
  const int64_t B = ys.size(0);
  auto y0 = ys.reshape({B, 1}).repeat({1, M}).reshape({B * M, 1});
  auto yt = sde.simulate(y0, s.repeat_interleave(M), t.repeat_interleave(M), gen).reshape({B, M});
  return {yt.mean(1), yt.var(1)};
}

}  // namespace

TEST(LocalDsm, LinearisedTransitionIsExactForVp) {
  VpSde vp(Json::object(), false);
  auto ys = dbl({-1.3, 0.2, 2.5}).reshape({3, 1});
  auto s = dbl({0.0, 0.4, 0.9}), t = dbl({0.2, 0.45, 1.0});
  auto B = vp.g2_integral(s, t);
  auto mean = ys.squeeze(1) * at::exp(-0.5 * B), var = -at::expm1(-B);
  for (int64_t K : {1, 3}) {
    auto q = linearised_transition(vp, ys, s, t, Linearisation::Carried, K);
    EXPECT_TRUE(at::allclose(q.mean.squeeze(1), mean, 1e-12, 1e-12)) << K;
    EXPECT_TRUE(at::allclose(q.var.squeeze(1), var, 1e-12, 1e-12)) << K;
  }
  // Frozen coefficients are only first-order accurate in a time-varying β: close, not exact.
  auto f = linearised_transition(vp, ys, s, t, Linearisation::Frozen);
  EXPECT_GT((f.var.squeeze(1) - var).abs().max().item<double>(), 1e-4);
}

// VE's drift is zero and builds no autograd graph: its Jacobian is zero (it used to throw), and the
// transition is the exact VE kernel N(y_s, σ(t)² − σ(s)²) in both variants and both Jacobian forms.
TEST(LocalDsm, LinearisedTransitionIsExactForVe) {
  auto ve = make_sde(Json{{"name", "ve"}, {"sigma_min", 0.01}, {"sigma_max", 50.0}});
  auto ys = dbl({-1.3, 0.2, 2.5}).reshape({3, 1});
  auto s = dbl({0.0, 0.4, 0.9}), t = dbl({0.2, 0.45, 1.0});
  auto sigma = [](const at::Tensor& u) { return 0.01 * at::pow(5000.0, u); };
  auto var = sigma(t).pow(2) - sigma(s).pow(2);
  for (auto variant : {Linearisation::Carried, Linearisation::Frozen}) {
    auto q = linearised_transition(*ve, ys, s, t, variant, 3);
    EXPECT_TRUE(at::allclose(q.mean, ys, 0, 0));
    // Frozen g² is g(s)² over the hop, not exact; carried integrates ∫g² exactly.
    if (variant == Linearisation::Carried) EXPECT_TRUE(at::allclose(q.var.squeeze(1), var, 1e-9, 1e-12));
    auto full = linearised_transition_full(*ve, ys, s, t, variant, 3);
    EXPECT_TRUE(at::allclose(full.mean, ys, 0, 1e-12));
    EXPECT_TRUE(at::allclose(full.cov.reshape({3}), q.var.squeeze(1), 1e-9, 1e-12));
  }
  LocalDsm objective(Json{{"name", "local_dsm"}});
  auto model = make_model(Json{{"name", "mlp"}, {"hidden", 16}, {"depth", 1}}, ve, {2});
  auto gen = make_generator(0);
  auto loss = objective.loss(*model, *ve, at::randn({8, 2}, gen), gen).loss;
  EXPECT_TRUE(std::isfinite(loss.item<double>()));
}

TEST(LocalDsm, LinearisedTransitionIsExactForOuInBothVariants) {
  OuSde ou(1.7, 0.8);
  auto ys = dbl({-2.0, 0.0, 0.7}).reshape({3, 1});
  auto s = dbl({0.1, 0.3, 0.0}), t = dbl({0.15, 0.9, 1.0});
  auto h = t - s;
  auto mean = ys.squeeze(1) * at::exp(-1.7 * h);
  auto var = 0.64 * -at::expm1(-3.4 * h) / 3.4;
  for (auto v : {Linearisation::Frozen, Linearisation::Carried}) {
    auto q = linearised_transition(ou, ys, s, t, v, 2);
    EXPECT_TRUE(at::allclose(q.mean.squeeze(1), mean, 1e-12, 1e-12));
    EXPECT_TRUE(at::allclose(q.var.squeeze(1), var, 1e-12, 1e-12));
    auto full = linearised_transition_full(ou, ys, s, t, v, 2);
    EXPECT_TRUE(at::allclose(full.mean.squeeze(1), mean, 1e-10, 1e-10));
    EXPECT_TRUE(at::allclose(full.cov.reshape({3}), var, 1e-10, 1e-10));
  }
}

TEST(LocalDsm, VanLoanMatchesTheDiagonalClosedFormAndAMomentOde) {
  // Element-wise drift in d = 3: the full (Van Loan, JVP-assembled) transition is the diagonal one.
  auto sde = make_sde(Json{{"name", "langevin_mog"}});
  auto ys = dbl({-1.2, 0.1, 0.9, 2.0, -0.4, 0.0}).reshape({2, 3});
  auto t = dbl({0.3, 0.8});
  auto s = sde->g2_integral_start(t, 0.05);
  for (auto v : {Linearisation::Frozen, Linearisation::Carried}) {
    auto d = linearised_transition(*sde, ys, s, t, v, 3);
    auto f = linearised_transition_full(*sde, ys, s, t, v, 3);
    EXPECT_TRUE(at::allclose(f.mean, d.mean, 1e-9, 1e-12));
    EXPECT_TRUE(at::allclose(at::diagonal(f.cov, 0, 1, 2), d.var, 1e-9, 1e-12));
    EXPECT_LT((f.cov - at::diag_embed(d.var)).abs().max().item<double>(), 1e-12);
  }
  // A coupled (rotating, damped) A: Van Loan against RK4 on dm = b + A m, dΣ = AΣ + ΣAᵀ + Q.
  Eigen::MatrixXd A(2, 2);
  A << -0.5, 2.0, -1.5, -0.3;
  Eigen::VectorXd b(2);
  b << 0.4, -1.0;
  Eigen::MatrixXd Q(2, 2);
  Q << 0.3, 0.0, 0.0, 0.3;
  const double h = 0.8;
  auto vl = van_loan_step(A, b, Q, h);
  Eigen::VectorXd m = Eigen::VectorXd::Zero(2);
  Eigen::MatrixXd S = Eigen::MatrixXd::Zero(2, 2);
  auto dm = [&](const Eigen::VectorXd& x) -> Eigen::VectorXd { return b + A * x; };
  auto dS = [&](const Eigen::MatrixXd& x) -> Eigen::MatrixXd { return A * x + x * A.transpose() + Q; };
  const int n = 4000;
  const double dt = h / n;
  for (int i = 0; i < n; ++i) {
    Eigen::VectorXd k1 = dm(m), k2 = dm(m + 0.5 * dt * k1), k3 = dm(m + 0.5 * dt * k2), k4 = dm(m + dt * k3);
    m += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    Eigen::MatrixXd l1 = dS(S), l2 = dS(S + 0.5 * dt * l1), l3 = dS(S + 0.5 * dt * l2), l4 = dS(S + dt * l3);
    S += dt / 6 * (l1 + 2 * l2 + 2 * l3 + l4);
  }
  EXPECT_LT((vl.mean_offset - m).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((vl.cov - S).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((vl.transition - (A * h).exp()).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(LocalDsm, LinearisationErrorIsBoundedUnderTheScheduleAndGrowsForAFixedGap) {
  // langevin_mog (β from 0.1 to 20): y_s between the prior's modes (where ∂² log π > 0) and on one.
  // Monte Carlo: 40000 paths × 100 Euler steps per hop. Errors are the mean's error in units of the
  // true std and the relative variance error; MC noise on them is ~0.005 and ~0.007.
  auto sde = make_sde(Json{{"name", "langevin_mog"}, {"steps", 100}});
  const auto ys = dbl({0.25, 1.1}).reshape({2, 1});
  const std::vector<double> times = {0.1, 0.5, 0.9};
  auto gen = make_generator(8);
  auto error = [&](const at::Tensor& s, const at::Tensor& t, Linearisation v) {
    auto q = linearised_transition(*sde, ys.to(at::kFloat), s.to(at::kFloat), t.to(at::kFloat), v, 4);
    auto [mc_mean, mc_var] = monte_carlo(*sde, ys.to(at::kFloat), s.to(at::kFloat), t.to(at::kFloat), 40000, gen);
    auto mean_err = ((q.mean.squeeze(1) - mc_mean).abs() / mc_var.sqrt()).max().item<double>();
    auto var_err = ((q.var.squeeze(1) / mc_var) - 1).abs().max().item<double>();
    return std::max(mean_err, var_err);
  };
  double sched_max = 0, gap_first = 0, gap_last = 0;
  for (size_t i = 0; i < times.size(); ++i) {
    auto t = at::full({2}, times[i], at::kDouble);
    const double carried = error(sde->g2_integral_start(t, 0.01), t, Linearisation::Carried);
    const double frozen = error(sde->g2_integral_start(t, 0.01), t, Linearisation::Frozen);
    const double gap = error((t - 0.05).clamp_min(0), t, Linearisation::Carried);
    std::printf("t=%.1f  scheduled λ=0.01: carried %.4f frozen %.4f | fixed gap 0.05: %.4f\n", times[i], carried, frozen, gap);
    sched_max = std::max({sched_max, carried, frozen});
    if (i == 0) gap_first = gap;
    gap_last = gap;
  }
  EXPECT_LT(sched_max, 0.05);          // bounded across t, at MC resolution
  EXPECT_GT(gap_last, 0.15);           // the fixed gap spans ∫g² ≈ 1 at t = 0.9: far from Gaussian-local
  EXPECT_GT(gap_last, 3 * gap_first);  // and its error grows with β(t)
}

TEST(LocalDsm, TargetIsTheScoreOfTheDrawnGaussianAndSpecsRoundTrip) {
  auto sde = make_sde(Json{{"name", "cubic"}});
  LocalDsm diag(Json::object()), full(Json{{"jacobian", "full"}});
  auto ys = at::randn({6, 2});
  auto t = at::full({6}, 0.6);
  auto s = diag.start_times(*sde, t);
  auto g1 = make_generator(4), g2 = make_generator(4);
  auto a = diag.draw(*sde, ys, s, t, g1), b = full.draw(*sde, ys, s, t, g2);
  EXPECT_TRUE(at::allclose(a.yt, b.yt, 1e-4, 1e-5));
  EXPECT_TRUE(at::allclose(a.target, b.target, 1e-3, 1e-3));
  auto q = linearised_transition(*sde, ys, s, t, Linearisation::Carried, 4);
  EXPECT_TRUE(at::allclose(a.target, -(a.yt - q.mean) / q.var, 1e-3, 1e-3));
  EXPECT_EQ(make_objective(diag.spec())->spec(), diag.spec());
  EXPECT_THROW(make_objective(Json{{"name", "local_dsm"}, {"lamda", 0.1}}), Error);
  EXPECT_THROW(make_objective(Json{{"name", "local_dsm"}, {"linearisation", "cubic"}}), Error);
}

TEST(LocalDsm, AffineOnlyObjectivesAreRefusedWithTheAlternativesNamed) {
  auto sde = make_sde(Json{{"name", "langevin_mog"}});
  try {
    check_compatible(*make_objective(Json{{"name", "dsm"}}), *sde);
    FAIL() << "dsm accepted a nonlinear SDE";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'dsm' needs an affine SDE"), std::string::npos) << msg;
    EXPECT_NE(msg.find("local_dsm"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ism_hutchinson"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(check_compatible(*make_objective(Json{{"name", "local_dsm"}}), *sde));
  Json spec = {{"data", "moons"}, {"sde", "double_well"}, {"model", {{"name", "mlp"}, {"hidden", 16}}}, {"objective", "dsm"}};
  EXPECT_THROW(Trainer{spec}, Error);
}

TEST(LocalDsm, LearnsTheScoreOfACubicSdeAgainstTheFokkerPlanckReference) {
  // 1-D data ⅓N(−1.2, 0.3²) + ⅔N(0.8, 0.25²) through the cubic SDE (β from 0.1 to 5, a = 1).
  Json data = {{"name", "mixture"}, {"weights", {1.0 / 3, 2.0 / 3}}, {"means", {{-1.2}, {0.8}}}, {"stds", {{0.3}, {0.25}}}};
  Json spec = {{"data", data}, {"sde", {{"name", "cubic"}, {"steps", 100}}}, {"model", {{"name", "mlp"}, {"hidden", 64}, {"depth", 2}}},
               {"objective", "local_dsm"},
               {"train", {{"batch", 256}, {"lr", 2e-3}, {"seed", 3}, {"ema_decay", 0.995}, {"warmup", 50}}}};
  Trainer trainer(spec);
  auto pdf = [](double x) {
    auto n = [](double x, double m, double s) { return std::exp(-0.5 * (x - m) * (x - m) / (s * s)) / (s * std::sqrt(2 * M_PI)); };
    return n(x, -1.2, 0.3) / 3 + 2 * n(x, 0.8, 0.25) / 3;
  };
  ReferenceMarginals ref(trainer.sde(), pdf, -4, 4, 1600, {0.05, 0.15, 0.3, 0.5, 0.75, 1.0});
  auto gen = make_generator(9);
  const auto before = ref.score_error(trainer.ema_model(), 4000, 1, gen);
  trainer.run(2500);
  const auto after = ref.score_error(trainer.ema_model(), 4000, 1, gen);
  std::printf("score error vs Fokker-Planck: untrained mse %.4f (rel %.3f), trained mse %.4f (rel %.4f)\n",
              before.mse, before.relative, after.mse, after.relative);
  EXPECT_LT(after.relative, 0.05);
  EXPECT_LT(after.mse, before.mse / 20);
}
