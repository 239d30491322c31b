// Two machines, simulated: a two-rank job whose ranks live in two network namespaces joined by a
// virtual Ethernet link (veth), made and removed by the test itself; nothing outside this machine
// is touched. Cutting the link mid-training must end both ranks with a clear error within the
// configured timeout, and restarting both from the last checkpoint must finish the run bit for
// bit where an uncut run over the same link ends. Needs root and iproute2 (`ip`); skipped otherwise.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "reliability.hpp"
#include "subprocess.hpp"
#include "test_dir.hpp"

using namespace std::chrono;

namespace {

constexpr int64_t kSteps = 1000, kEvery = 10;
constexpr int kTimeoutS = 5;  // --dist-timeout

int sh(const std::string& command) { return sk_test::run({"/bin/sh", "-c", command}); }

// Namespaces skA<pid> (10.77.0.1) and skB<pid> (10.77.0.2), one veth pair between them.
class Link {
 public:
  Link() : tag_(std::to_string(::getpid())), a_("skA" + tag_), b_("skB" + tag_) {
    ok_ = sh("ip netns add " + a_ + " && ip netns add " + b_ + " && ip link add va" + tag_ + " netns " + a_ +
             " type veth peer name vb" + tag_ + " netns " + b_ + " && ip -n " + a_ + " addr add 10.77.0.1/24 dev va" +
             tag_ + " && ip -n " + b_ + " addr add 10.77.0.2/24 dev vb" + tag_ + " && ip -n " + a_ +
             " link set lo up && ip -n " + b_ + " link set lo up") == 0 &&
          set(true);
  }
  ~Link() { sh("ip netns del " + a_ + "; ip netns del " + b_); }
  bool ok() const { return ok_; }
  bool set(bool up) {
    const char* state = up ? " up" : " down";
    return sh("ip -n " + a_ + " link set va" + tag_ + state + " && ip -n " + b_ + " link set vb" + tag_ + state) == 0;
  }
  // Starts `rank` of a two-rank job in its namespace, rank 0 (the master) in A.
  pid_t start(int rank, int port, std::vector<std::string> args, const std::string& log) const {
    args.insert(args.begin(), {"/usr/bin/env", "ip", "netns", "exec", rank == 0 ? a_ : b_, SCOREKIT_CLI});
    return sk_test::spawn(args, {{"RANK", std::to_string(rank)}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "10.77.0.1"},
                                 {"MASTER_PORT", std::to_string(port)}, {"SCOREKIT_THREADS", "1"}},
                          log);
  }

 private:
  std::string tag_, a_, b_;
  bool ok_ = false;
};

std::vector<std::string> train_args(const std::string& spec, const std::string& out, int64_t done) {
  std::vector<std::string> a = {"train", "--steps", std::to_string(kSteps - std::max<int64_t>(done, 0)), "--out", out,
                                "--dist-timeout", std::to_string(kTimeoutS)};
  if (done < 0) a.insert(a.end(), {"--spec", spec});
  else a.insert(a.end(), {"--resume", out + "/checkpoint.skc"});
  return a;
}

// Runs both ranks to the end; returns true when both exit 0.
bool run_job(const Link& link, int port, const std::vector<std::string>& args, const std::string& log) {
  const pid_t r0 = link.start(0, port, args, log), r1 = link.start(1, port, args, log);
  const int s0 = sk_test::wait_with_limit(r0, minutes(3)), s1 = sk_test::wait_with_limit(r1, minutes(3));
  return s0 == 0 && s1 == 0;
}

TEST(TwoMachines, CuttingTheLinkEndsBothRanksWithAnErrorAndTheRunResumes) {
  if (::geteuid() != 0) GTEST_SKIP() << "network namespaces need root";
  if (sh("command -v ip") != 0) GTEST_SKIP() << "iproute2 (ip) not installed";
  Link link;
  if (!link.ok()) GTEST_SKIP() << "cannot create network namespaces and a veth pair here";

  const std::string dir = sk_test::test_dir(), spec = dir + "/spec.json";
  auto s = scorekit::Json::parse(sk_test::kTinySpec);
  s["train"]["checkpoint_every"] = kEvery;
  s["train"]["micro_batch"] = 16;  // two micro-batches of the batch of 32: one per rank
  sk_test::write_file(spec, s.dump());
  const int port = 29000 + ::getpid() % 1000;

  // The uncut run over the same link.
  ASSERT_TRUE(run_job(link, port, train_args(spec, dir + "/ref", -1), dir + "/ref.log")) << sk_test::read_file(dir + "/ref.log");
  ASSERT_EQ(sk_test::checkpoint_step(dir + "/ref/checkpoint.skc"), kSteps);

  // Cut the link once a few checkpoints exist.
  const std::string cut = dir + "/cut", log0 = dir + "/cut0.log", log1 = dir + "/cut1.log";
  const auto args = train_args(spec, cut, -1);
  const pid_t r0 = link.start(0, port + 1, args, log0), r1 = link.start(1, port + 1, args, log1);
  const auto deadline = steady_clock::now() + minutes(2);
  while (steady_clock::now() < deadline) {
    try {
      if (sk_test::checkpoint_step(cut + "/checkpoint.skc") >= 3 * kEvery) break;
    } catch (const std::exception&) {  // caught between rename and read: look again
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  ASSERT_TRUE(link.set(false));
  const auto cut_at = steady_clock::now();
  int status[2];
  double took[2];
  for (int r = 0; r < 2; ++r) {
    status[r] = sk_test::wait_with_limit(r == 0 ? r0 : r1, seconds(60));
    took[r] = duration<double>(steady_clock::now() - cut_at).count();
  }
  const int64_t last = sk_test::checkpoint_step(cut + "/checkpoint.skc");
  std::printf("link cut at step >= %lld: rank 0 exited %d after %.1f s, rank 1 exited %d after %.1f s "
              "(timeout %d s); last checkpoint at step %lld\n",
              static_cast<long long>(3 * kEvery), status[0], took[0], status[1], took[1], kTimeoutS,
              static_cast<long long>(last));
  for (int r = 0; r < 2; ++r) {
    const std::string log = sk_test::read_file(r == 0 ? log0 : log1);
    EXPECT_EQ(status[r], 1) << "rank " << r << " (-1: still running a minute later; >128: a crash)\n" << log;
    EXPECT_LT(took[r], 3.0 * kTimeoutS) << "rank " << r;
    EXPECT_NE(log.find("error: distributed:"), std::string::npos) << "rank " << r << " said:\n" << log;
    if (log.rfind("error:") != std::string::npos) std::printf("rank %d said: %s", r, log.substr(log.rfind("error:")).c_str());
  }
  ASSERT_GE(last, 3 * kEvery);
  ASSERT_LT(last, kSteps);

  // Mend the link, restart both ranks from the last checkpoint: the same result as the uncut run.
  ASSERT_TRUE(link.set(true));
  ASSERT_TRUE(run_job(link, port + 2, train_args(spec, cut, last), dir + "/resume.log")) << sk_test::read_file(dir + "/resume.log");
  sk_test::expect_identical_checkpoints(dir + "/ref/checkpoint.skc", cut + "/checkpoint.skc");
}

}  // namespace
