// Sampling and likelihood under a nonlinear SDE with the exact score. With data drawn from the
// prior π itself, the Langevin forward process is stationary: p_t = π and ∇log p_t = ∇log π for
// every t. So the PF-ODE velocity f − ½g²∇log π vanishes and the NLL must be −log π(x) exactly,
// and samples of the reverse SDE started from the sampler's prior draw must follow π.
#include <gtest/gtest.h>

#include "likelihood/likelihood.hpp"
#include "samplers/sampler.hpp"
#include "sde/langevin_sde.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

// The exact score of the stationary marginals: the prior's score at every t.
class PriorScoreModel : public ScoreModel {
 public:
  explicit PriorScoreModel(SdePtr sde) : ScoreModel(sde, Parameterisation::Score) {}
  Json spec() const override { return {{"name", "prior_score"}}; }
  std::vector<int64_t> sample_shape() const override { return {2}; }
  bool trainable() const override { return false; }

 protected:
  at::Tensor forward_raw(const at::Tensor& x, const at::Tensor&) override {
    return dynamic_cast<const LangevinSde&>(*sde_).prior().score(x);
  }
};

}  // namespace

TEST(NonlinearSampling, PfOdeNllUnderTheExactScoreIsTheMogPriorLogDensity) {
  auto sde = make_sde(Json{{"name", "langevin_mog"}});
  PriorScoreModel model(sde);
  auto gen = make_generator(12);
  auto x = sde->prior_sample({64, 2}, gen);
  auto nll = negative_log_likelihood(model, *sde, x, Json{{"divergence", "exact"}}, gen);
  auto expected = -sde->prior_log_prob(x.to(at::kDouble));
  EXPECT_LT((nll.nll - expected).abs().max().item<double>(), 1e-3);
}

TEST(NonlinearSampling, ReverseSdeFromTheMogPriorKeepsThePrior) {
  // Two-sample KS per coordinate at n = 4000 (0.1% critical value 0.0436); a wrong drift sign or
  // factor in the reverse SDE would move the samples off the stationary law.
  auto sde = make_sde(Json{{"name", "langevin_mog"}});
  PriorScoreModel model(sde);
  auto gen = make_generator(13);
  const int64_t n = 4000;
  auto x = make_sampler(Json{{"name", "em"}, {"steps", 500}})->sample(model, *sde, n, gen).x;
  auto ref = sde->prior_sample({n, 2}, gen);
  for (int j = 0; j < 2; ++j) {
    auto a = std::get<0>(x.select(1, j).to(at::kDouble).sort()), b = std::get<0>(ref.select(1, j).to(at::kDouble).sort());
    auto all = at::cat({a, b});
    auto fa = at::searchsorted(a, all, false, true).to(at::kDouble) / n;
    auto fb = at::searchsorted(b, all, false, true).to(at::kDouble) / n;
    const double ks = (fa - fb).abs().max().item<double>();
    std::printf("coordinate %d: KS %.4f\n", j, ks);
    EXPECT_LT(ks, 0.0436);
  }
}
