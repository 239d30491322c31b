// The path pool (objectives/path_pool.hpp) against the closed-form marginal of a nonlinear-class SDE
// whose law is known: langevin_mog with a single standard-normal component is VP, so x_t given
// x_0 ~ N(μ, s²) is N(α μ, α² s² + 1 − α²) with α = exp(−½∫β). Also: the samples of one group take
// distinct paths, the spec round-trips, and an objective on a nonlinear SDE trains through it.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "objectives/objective.hpp"
#include "objectives/path_pool.hpp"
#include "sde/sde.hpp"
#include "train/trainer.hpp"
#include "test_dir.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

// VP's β(t) = 0.1 + 19.9 t, written out as the truth (not read from the SDE).
double alpha(double t) { return std::exp(-0.5 * (0.1 * t + 0.5 * 19.9 * t * t)); }

SdePtr gaussian_langevin() {
  return make_sde(Json{{"name", "langevin_mog"},
                       {"prior", {{"weights", {1.0}}, {"means", {0.0}}, {"stds", {1.0}}}},
                       {"steps", 400}});
}

}  // namespace

// Times between the pool's group ages (multiples of c·h = 0.02), so that a pool that skipped the
// remainder simulation from the group's age to t would be off by up to 0.02 in time: at t = 0.37
// that moves the mean by ~8 standard errors of these draws.
TEST(PathPool, DrawsFollowTheExactMarginal) {
  auto sde = gaussian_langevin();
  ASSERT_FALSE(sde->is_affine());
  const std::vector<double> times = {0.03, 0.13, 0.37, 0.81};
  const double mu = 2.5, s0 = 0.2;
  const int64_t B = 512, per = B / 4;
  PathPool pool;
  auto gen = make_generator(11);
  auto t = at::tensor(times, at::kDouble).to(at::kFloat).repeat_interleave(per);
  std::vector<std::vector<at::Tensor>> draws(times.size());
  for (int step = 0; step < 460; ++step) {
    auto x0 = mu + s0 * randn({B, 1}, gen, at::TensorOptions());
    auto x = pool.draw(*sde, x0, t, gen);
    if (step < 60) continue;  // past the first G = 50 steps, whose paths start from the first batch
    for (size_t k = 0; k < times.size(); ++k) draws[k].push_back(x.slice(0, k * per, (k + 1) * per));
  }
  EXPECT_EQ(pool.groups(), 50);
  EXPECT_EQ(pool.paths(), 50 * 20);  // 1024 paths rounded down to G groups
  for (size_t k = 0; k < times.size(); ++k) {
    auto x = at::cat(draws[k]).to(at::kDouble);
    const double a = alpha(times[k]);
    const double mean = a * mu, var = a * a * s0 * s0 + 1 - a * a;
    const double got_mean = x.mean().item<double>(), got_var = x.var().item<double>();
    std::printf("t=%.2f mean %.4f (exact %.4f)  var %.4f (exact %.4f)\n", times[k], got_mean, mean, got_var, var);
    // 5 standard errors, counting one independent draw per path and step (m = 20 paths per group
    // serve the 128 draws at each time), plus Euler–Maruyama's bias at h = 1/400: on this OU drift
    // −a y (a = β/2 ≤ 4 up to t = 0.4) each step adds a²h²·v to the variance, ~a²·h·t ≈ 1.5% by
    // t = 0.37 (half that on the mean).
    const double n_eff = 400.0 * 20;
    EXPECT_NEAR(got_mean, mean, 5 * std::sqrt(var / n_eff) + 0.01 * std::abs(mean)) << times[k];
    EXPECT_NEAR(got_var / var, 1.0, 5 * std::sqrt(2 / n_eff) + 0.02) << times[k];
  }
}

TEST(PathPool, SamplesOfOneGroupTakeDistinctPaths) {
  auto sde = gaussian_langevin();
  PathPool pool(PathPoolOptions{true, 400, 8});  // G = 50 groups of 8 paths
  auto gen = make_generator(5);
  // In double, so that 0.2 is exactly the age 80·h of group 10 and no remainder noise is added.
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  auto x0 = randn({64, 3}, gen, f64).to(at::kDouble);
  pool.draw(*sde, x0, at::full({64}, 0.5, f64), gen);
  // Eight draws exactly at a group's age take its eight paths unchanged: eight distinct rows.
  auto x = pool.draw(*sde, x0, at::full({8}, 0.2, f64), gen);
  std::set<std::vector<double>> rows;
  for (int64_t i = 0; i < 8; ++i) {
    auto r = x[i].contiguous();
    rows.insert(std::vector<double>(r.data_ptr<double>(), r.data_ptr<double>() + 3));
  }
  EXPECT_EQ(rows.size(), 8u);
}

TEST(PathPool, SpecRoundTripsAndBadValuesAreRefused) {
  auto o = make_objective(Json{{"name", "ism"}});
  EXPECT_TRUE(o->path_pool().enabled);
  EXPECT_FALSE(o->full_spec().contains("path_pool"));  // the default is not written
  auto off = make_objective(Json{{"name", "local_dsm"}, {"path_pool", false}});
  EXPECT_FALSE(off->path_pool().enabled);
  EXPECT_EQ(off->full_spec()["path_pool"], false);
  auto custom = make_objective(Json{{"name", "lcss"}, {"path_pool", {{"paths", 1000}, {"advance", 4}}}});
  EXPECT_EQ(custom->path_pool().paths, 1000);
  EXPECT_EQ(make_objective(custom->full_spec())->path_pool().advance, 4);
  EXPECT_THROW(make_objective(Json{{"name", "ism"}, {"path_pool", {{"advance", 0}}}}), Error);
  EXPECT_THROW(make_objective(Json{{"name", "ism"}, {"path_pool", {{"size", 10}}}}), Error);
  EXPECT_THROW(make_objective(Json{{"name", "ism"}, {"path_pool", 3}}), Error);
}

// Same seed, same run, with the pool's state carried between steps.
TEST(PathPool, ASeedFixesANonlinearRun) {
  Json spec = {{"data", "moons"}, {"sde", {{"name", "langevin_mog"}, {"steps", 100}}},
               {"model", {{"name", "mlp"}, {"hidden", 16}, {"depth", 1}}}, {"objective", "local_dsm"},
               {"train", {{"batch", 32}, {"warmup", 0}, {"seed", 4}}}};
  Trainer a(spec), b(spec);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.step().loss, b.step().loss) << i;
}

// The pool's paths travel in the checkpoint: a run resumed halfway ends bit-identical to a straight one.
TEST(PathPool, AResumedNonlinearRunIsBitIdentical) {
  Json spec = {{"data", "moons"}, {"sde", {{"name", "langevin_mog"}, {"steps", 100}}},
               {"model", {{"name", "mlp"}, {"hidden", 16}, {"depth", 1}}}, {"objective", "local_dsm"},
               {"train", {{"batch", 32}, {"warmup", 0}, {"seed", 4}}}};
  Trainer straight(spec);
  straight.run(12);
  Trainer first(spec);
  first.run(6);
  const std::string path = sk_test::test_path("half.skc");
  first.save(path);
  auto resumed = Trainer::from_checkpoint(path);
  resumed->run(6);
  auto a = straight.model().parameters(), b = resumed->model().parameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(at::equal(a[i], b[i])) << "parameter " << i;
  // Without the pool in the checkpoint the resumed run would draw other paths: the check can fail.
  Trainer again(spec);
  again.run(6);
  again.objective().pool().restore(at::Tensor(), 0);  // a pool lost on resume
  again.run(6);
  bool all_equal = true;
  auto c = again.model().parameters();
  for (size_t i = 0; i < a.size(); ++i) all_equal = all_equal && at::equal(a[i], c[i]);
  EXPECT_FALSE(all_equal);
}
