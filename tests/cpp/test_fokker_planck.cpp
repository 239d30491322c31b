// The 1-D Fokker–Planck reference against the exact OU marginal, its mass conservation, and the
// stationarity of a Langevin SDE's prior under it.
#include <gtest/gtest.h>

#include <cmath>

#include "eval/fokker_planck.hpp"
#include "eval/reference_marginals.hpp"
#include "ou_sde.hpp"
#include "sde/langevin_sde.hpp"

using namespace scorekit;

namespace {
double normal_pdf(double x, double m, double v) { return std::exp(-0.5 * (x - m) * (x - m) / v) / std::sqrt(2 * M_PI * v); }
}  // namespace

TEST(FokkerPlanck, MatchesTheExactOuMarginalAndConservesMass) {
  const double theta = 2.0, sigma = 1.0, m0 = 1.0, v0 = 0.09;
  OuSde ou(theta, sigma);
  FokkerPlanck1d fp(ou, -5, 5, 2000);
  Eigen::VectorXd p0(fp.centres().size());
  for (Eigen::Index i = 0; i < p0.size(); ++i) p0(i) = normal_pdf(fp.centres()(i), m0, v0);
  fp.set_density(p0, 0.0);
  for (double t : {0.1, 0.5, 1.0}) {
    fp.advance_to(t, 400);
    const double m = m0 * std::exp(-theta * t);
    const double v = v0 * std::exp(-2 * theta * t) + sigma * sigma * (1 - std::exp(-2 * theta * t)) / (2 * theta);
    double max_err = 0, score_err = 0, wsum = 0;
    auto s = fp.score();
    for (Eigen::Index i = 0; i < p0.size(); ++i) {
      const double x = fp.centres()(i), pe = normal_pdf(x, m, v);
      max_err = std::max(max_err, std::abs(fp.density()(i) - pe));
      score_err += pe * std::pow(s(i) + (x - m) / v, 2);
      wsum += pe;
    }
    score_err /= wsum;
    std::printf("t=%.1f  max |p - p_exact| %.2e  E(score err^2) %.2e  mass-1 %.1e\n", t, max_err, score_err, fp.mass() - 1);
    EXPECT_LT(max_err, 2e-3) << "t = " << t;   // peak density ≈ 1.3 at t = 0.1
    EXPECT_LT(score_err, 1e-3) << "t = " << t;
    EXPECT_NEAR(fp.mass(), 1.0, 1e-10);
  }
}

TEST(FokkerPlanck, LangevinPriorIsStationary) {
  auto sde = make_sde(Json{{"name", "langevin_mog"}});
  const auto& prior = dynamic_cast<const LangevinSde&>(*sde).prior();
  FokkerPlanck1d fp(*sde, -5, 5, 1500);
  auto x = at::from_blob(const_cast<double*>(fp.centres().data()), {fp.centres().size()}, at::kDouble).clone();
  auto pi = prior.log_density(x).exp().contiguous();
  Eigen::VectorXd p0 = Eigen::Map<Eigen::VectorXd>(pi.data_ptr<double>(), pi.size(0));
  fp.set_density(p0, 0.0);
  fp.advance_to(1.0, 2000);
  const double drift = (fp.density() - p0 / (p0.sum() * fp.dx())).cwiseAbs().maxCoeff();
  std::printf("max |p_1 - pi| = %.2e\n", drift);
  EXPECT_LT(drift, 2e-3);
  EXPECT_NEAR(fp.mass(), 1.0, 1e-10);
}

TEST(FokkerPlanck, ReferenceSamplesFollowTheGridDensity) {
  OuSde ou(1.0, 1.0);
  ReferenceMarginals ref(ou, [](double x) { return normal_pdf(x, 0.5, 0.04); }, -6, 6, 2400, {0.3});
  auto gen = make_generator(3);
  auto x = ref.sample(0, 20000, 1, gen).to(at::kDouble);
  const double m = 0.5 * std::exp(-0.3), v = 0.04 * std::exp(-0.6) + 0.5 * (1 - std::exp(-0.6));
  EXPECT_NEAR(x.mean().item<double>(), m, 4 * std::sqrt(v / 20000));
  EXPECT_NEAR(x.var().item<double>(), v, 5 * v * std::sqrt(2.0 / 20000));
  auto s = ref.score(0, at::tensor({0.0, 0.5, 1.0}, at::kDouble));
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(s[i].item<double>(), -(0.5 * i - m) / v, 2e-3);
}
