// Data-parallel training over loopback: rank-count independence of the trajectory, resuming on a
// different rank count, and clean failure when a rank dies or never joins.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "io/checkpoint.hpp"
#include "subprocess.hpp"
#include "test_dir.hpp"
#include "util/spec.hpp"

using namespace scorekit;
using clock_type = std::chrono::steady_clock;

namespace {

// A run's output directory inside this test's own temporary directory.
std::string dir(const std::string& name) { return sk_test::test_path(name); }

int run(const std::string& args) {
  const std::string cmd = std::string(SCOREKIT_CLI) + " " + args + " > /dev/null 2>&1";
  return std::system(cmd.c_str());
}

const char* kCommon = "train --data moons --sde vp --objective dsm --model mlp --lr 3e-3 --seed 3 --batch 128 --micro-batch 64";

// Largest elementwise difference between the model tensors of two checkpoints.
double max_model_difference(const std::string& a_dir, const std::string& b_dir) {
  auto a = load_checkpoint(a_dir + "/checkpoint.skc"), b = load_checkpoint(b_dir + "/checkpoint.skc");
  EXPECT_EQ(a.step, b.step);
  double worst = 0;
  int compared = 0;
  for (const auto& t : a.tensors) {
    if (t.name.rfind("model/", 0) != 0) continue;
    const at::Tensor* other = b.find(t.name);
    EXPECT_NE(other, nullptr) << t.name;
    if (!other) continue;
    worst = std::max(worst, (t.value.to(at::kDouble) - other->to(at::kDouble)).abs().max().item<double>());
    ++compared;
  }
  EXPECT_GT(compared, 4);
  return worst;
}

TEST(Distributed, TwoRanksWithBatchBEqualOneRankWithBatch2B) {
  const auto one = dir("one"), two = dir("two");
  ASSERT_EQ(run(std::string(kCommon) + " --steps 15 --threads 1 --out " + one), 0);
  ASSERT_EQ(run(std::string(kCommon) + " --steps 15 --nproc 2 --out " + two), 0);
  const double diff = max_model_difference(one, two);
  std::printf("max |θ(1 rank, 2B) − θ(2 ranks, B)| after 15 steps: %.3g\n", diff);
  EXPECT_LT(diff, 1e-5);  // float summation order only
}

TEST(Distributed, ResumesOnADifferentRankCount) {
  const auto straight = dir("straight"), half = dir("half"), resumed = dir("resumed");
  ASSERT_EQ(run(std::string(kCommon) + " --steps 16 --threads 1 --out " + straight), 0);
  ASSERT_EQ(run(std::string(kCommon) + " --steps 8 --threads 1 --out " + half), 0);
  ASSERT_EQ(run("train --resume " + half + "/checkpoint.skc --steps 8 --nproc 2 --out " + resumed), 0);
  const double diff = max_model_difference(straight, resumed);
  std::printf("max |θ(16 steps, 1 rank) − θ(8 + 8 steps on 2 ranks)|: %.3g\n", diff);
  EXPECT_LT(diff, 1e-5);
}

pid_t spawn_rank(int rank, int world, int port, const std::string& extra) {
  std::vector<std::string> argv = {SCOREKIT_CLI};
  std::istringstream in(extra + " --threads 1");
  for (std::string w; in >> w;) argv.push_back(w);
  return sk_test::spawn(argv, {{"RANK", std::to_string(rank)}, {"WORLD_SIZE", std::to_string(world)},
                               {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", std::to_string(port)}});
}

TEST(Distributed, AKilledRankEndsTheJobWithAnErrorWithinTheTimeout) {
  const int port = 29600 + (::getpid() % 300);
  const std::string args = std::string(kCommon) + " --steps 1000000 --dist-timeout 10 --out " + dir("killed");
  pid_t r0 = spawn_rank(0, 2, port, args), r1 = spawn_rank(1, 2, port, args);
  std::this_thread::sleep_for(std::chrono::seconds(4));  // both ranks are training by now
  ::kill(r1, SIGKILL);
  const auto killed_at = clock_type::now();
  const int status = sk_test::wait_with_limit(r0, std::chrono::seconds(40));
  const double secs = std::chrono::duration<double>(clock_type::now() - killed_at).count();
  ::waitpid(r1, nullptr, 0);
  std::printf("surviving rank exited with status %d, %.1f s after its peer was killed\n", status, secs);
  EXPECT_EQ(status, 1);  // an error, not a hang (-1) nor a crash (>128)
  EXPECT_LT(secs, 15.0);
}

TEST(Distributed, ARendezvousThatNeverCompletesTimesOut) {
  const int port = 29900 + (::getpid() % 90);
  const auto start = clock_type::now();
  pid_t r0 = spawn_rank(0, 2, port, std::string(kCommon) + " --steps 5 --dist-timeout 3 --out " + dir("alone"));
  const int status = sk_test::wait_with_limit(r0, std::chrono::seconds(40));
  const double secs = std::chrono::duration<double>(clock_type::now() - start).count();
  std::printf("lonely rank exited with status %d after %.1f s\n", status, secs);
  EXPECT_EQ(status, 1);
  EXPECT_LT(secs, 20.0);
}

}  // namespace
