// The trainer's Adam (train/adam.hpp), fused kernel and per-tensor update alike, against Adam's
// formulas evaluated in double precision; parameters without a gradient; restoring its state.
#include <gtest/gtest.h>

#include <cmath>

#include "train/adam.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

// Kingma & Ba's update with bias correction, step t = 1, 2, …, in double precision.
struct ReferenceAdam {
  at::Tensor p, m, v;
  int64_t t = 0;
  void step(const at::Tensor& g, const Adam::Options& o) {
    ++t;
    m = o.beta1 * m + (1 - o.beta1) * g;
    v = o.beta2 * v + (1 - o.beta2) * g * g;
    const auto m_hat = m / (1 - std::pow(o.beta1, double(t)));
    const auto v_hat = v / (1 - std::pow(o.beta2, double(t)));
    p = p - o.lr * m_hat / (v_hat.sqrt() + o.eps);
  }
};

class AdamUpdate : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam() && !Adam::fused_by_default()) GTEST_SKIP() << "no fused Adam kernel in this LibTorch (or SCOREKIT_FUSED_ADAM=0)";
  }
};

}  // namespace

TEST_P(AdamUpdate, FollowsTheFormulasInDoublePrecision) {
  auto gen = make_generator(5);
  const Adam::Options o{0.05, 0.8, 0.95, 1e-6};
  std::vector<at::Tensor> params{at::randn({7, 3}, gen), at::randn({11}, gen)};
  std::vector<ReferenceAdam> ref;
  for (auto& p : params) ref.push_back({p.to(at::kDouble), at::zeros_like(p, at::kDouble), at::zeros_like(p, at::kDouble)});
  Adam adam(params, o, GetParam());
  EXPECT_EQ(adam.fused(), GetParam());
  for (int step = 0; step < 6; ++step) {
    adam.zero_grad();
    for (size_t i = 0; i < params.size(); ++i) {
      auto g = at::randn(params[i].sizes(), gen) * (step + 1);
      params[i].mutable_grad() = g;
      ref[i].step(g.to(at::kDouble), o);
    }
    adam.step();
  }
  for (size_t i = 0; i < params.size(); ++i) {
    EXPECT_TRUE(at::allclose(params[i].to(at::kDouble), ref[i].p, 1e-5, 1e-6)) << "parameter " << i;
    EXPECT_TRUE(at::allclose(adam.state(i).exp_avg_sq.to(at::kDouble), ref[i].v, 1e-5, 1e-7)) << "parameter " << i;
    EXPECT_EQ(adam.state(i).step, 6);
  }
}

// A parameter without a gradient is not moved and its bias correction starts at its own first update.
TEST_P(AdamUpdate, ParametersWithoutGradientWaitForTheirFirstUpdate) {
  auto gen = make_generator(6);
  const Adam::Options o{0.1};
  std::vector<at::Tensor> params{at::randn({4}, gen), at::randn({4}, gen)};
  const auto idle = params[1].clone();
  Adam adam(params, o, GetParam());
  params[0].mutable_grad() = at::randn({4}, gen);
  adam.step();
  adam.step();
  EXPECT_TRUE(at::equal(params[1], idle));
  EXPECT_EQ(adam.state(1).step, 0);
  EXPECT_FALSE(adam.state(1).exp_avg.defined());
  // Its first update: m̂ = g and v̂ = g², so it moves by lr·g/(|g| + eps), about lr·sign(g).
  adam.zero_grad();
  const auto g = at::randn({4}, gen);
  params[1].mutable_grad() = g;
  adam.step();
  EXPECT_TRUE(at::allclose(params[1] - idle, -o.lr * g / (g.abs() + o.eps), 1e-5, 1e-6));
  EXPECT_EQ(adam.state(1).step, 1);
}

// Another optimiser given this one's state continues exactly as this one does.
TEST_P(AdamUpdate, RestoredStateContinuesTheSameUpdates) {
  auto gen = make_generator(8);
  auto a = at::randn({9}, gen), b = a.clone();
  Adam first({a}, {0.03}, GetParam());
  for (int i = 0; i < 3; ++i) {
    a.mutable_grad() = at::randn({9}, gen);
    first.step();
  }
  b.detach().copy_(a.detach());  // the weights a checkpoint would carry
  Adam second({b}, {0.03}, GetParam());
  const auto& s = first.state(0);
  second.set_state(0, {s.exp_avg.clone(), s.exp_avg_sq.clone(), s.step});
  const auto g = at::randn({9}, gen);
  a.mutable_grad() = g;
  b.mutable_grad() = g.clone();
  first.step();
  second.step();
  EXPECT_TRUE(at::equal(a, b));
  EXPECT_EQ(second.state(0).step, 4);
}

INSTANTIATE_TEST_SUITE_P(Paths, AdamUpdate, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "fused" : "per_tensor"; });
