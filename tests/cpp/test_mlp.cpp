// The MLP runs its time path once when every row shares one time (sampling): the rows must be those
// of the full computation, and one_time_for_all must say "shared" only when it is.
#include <gtest/gtest.h>

#include "models/score_model.hpp"
#include "sde/sde.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

TEST(Mlp, OneTimeForAllRecognisesSharedTimesOnly) {
  EXPECT_TRUE(one_time_for_all(at::full({5}, 0.3)));
  EXPECT_TRUE(one_time_for_all(at::full({1}, 0.3).expand({5})));
  EXPECT_TRUE(one_time_for_all(at::full({5}, 0.3, at::kDouble)));
  EXPECT_FALSE(one_time_for_all(at::tensor({0.3f, 0.3f, 0.3f, 0.4f})));  // differs in the last entry only
  EXPECT_FALSE(one_time_for_all(at::full({1}, 0.3)));                     // a single row gains nothing
  EXPECT_FALSE(one_time_for_all(at::full({4}, std::nan(""))));            // NaN equals nothing
  EXPECT_FALSE(one_time_for_all(at::full({4}, 0.3).requires_grad_()));    // one row would pool the gradients
  EXPECT_FALSE(one_time_for_all(at::full({2, 2}, 0.3)));
}

TEST(Mlp, ASharedTimeGivesTheRowsOfTheFullComputation) {
  auto sde = make_sde(Json{{"name", "vp"}});
  auto model = make_model(Json{{"name", "mlp"}, {"hidden", 32}, {"depth", 2}}, sde, {2});
  model->to(at::kDouble);
  auto gen = make_generator(3);
  const auto x = at::randn({6, 2}, gen, at::kDouble);
  const auto shared = at::full({6}, 0.37, at::kDouble);
  // The same rows beside one of another time: the batch's times differ, so the full path runs.
  const auto full = model->score(at::cat({x, x.narrow(0, 0, 1)}), at::cat({shared, at::full({1}, 0.81, at::kDouble)}));
  const auto fast = model->score(x, shared);
  EXPECT_TRUE(at::allclose(fast, full.narrow(0, 0, 6), 1e-12, 1e-14));
  // And the gradients of the weights, which the broadcast time path sums over the rows.
  auto grads_of = [&](const at::Tensor& out) { return torch::autograd::grad({out.pow(2).sum()}, model->parameters()); };
  const auto g_fast = grads_of(model->score(x, shared));
  const auto g_full = grads_of(model->score(at::cat({x, x.narrow(0, 0, 1)}), at::cat({shared, at::full({1}, 0.81, at::kDouble)})).narrow(0, 0, 6));
  for (size_t i = 0; i < g_fast.size(); ++i) EXPECT_TRUE(at::allclose(g_fast[i], g_full[i], 1e-10, 1e-12)) << "parameter " << i;
}
