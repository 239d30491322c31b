// Kill anywhere, lose nothing. Training with periodic checkpoints is SIGKILLed at 20 seeded random
// moments and restarted each time from its newest checkpoint; it must end bit for bit where an
// uninterrupted run of the same spec ends (weights, EMA weights, Adam moments, steps, generator).
// Half the kills come from a timer outside the process, at a random time in the run (but after at
// most 3 new checkpoints, so that 20 kills never carry the run to its end however fast it goes);
// the other half from inside a checkpoint save, placed by fault_inject.so at a random byte of the
// write, at the flush, just before or just after the rename. Once through the command line, once
// through a C program that uses libscorekit.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <random>

#include "reliability.hpp"
#include "subprocess.hpp"
#include "test_dir.hpp"

using namespace std::chrono;
using sk_test::checkpoint_step;

namespace {

constexpr int kKills = 20;
constexpr int64_t kSteps = 600, kEvery = 5;
constexpr int kMaxSavesPerTimerKill = 3;

// How to start one attempt of a run writing `ckpt`: fresh when `done` < 0, else resumed from ckpt.
using Command = std::function<std::vector<std::string>(const std::string& ckpt, int64_t done)>;

double seconds_to_run(const std::vector<std::string>& argv) {
  const auto t0 = steady_clock::now();
  EXPECT_EQ(sk_test::run(argv, {{"SCOREKIT_THREADS", "1"}}), 0) << argv[0];
  return duration<double>(steady_clock::now() - t0).count();
}

std::vector<std::string> temporaries_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) out.push_back(e.path().string());
  return out;
}

// Every save renames a new file into place: a new inode.
ino_t inode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

struct Tally {
  int kills = 0, timer = 0, injected = 0, timer_in_save = 0;
  int64_t steps_redone = 0;
};

void kill_anywhere(const std::string& what, const Command& command) {
  const std::string dir = sk_test::test_dir();
  const std::string ref = dir + "/ref", run = dir + "/run", probe = dir + "/probe";
  for (const auto& d : {ref, run, probe}) std::filesystem::create_directories(d);
  const std::string log = dir + "/log.txt";

  // The uninterrupted run, and how long a run takes to start and to finish: the timer kills fall in
  // [0, start-up + 1/20 of the training time].
  const double full_s = seconds_to_run(command(ref + "/checkpoint.skc", -1));
  ASSERT_EQ(checkpoint_step(ref + "/checkpoint.skc"), kSteps);
  const auto ckpt_bytes = static_cast<int64_t>(std::filesystem::file_size(ref + "/checkpoint.skc"));
  auto probe_argv = command(probe + "/checkpoint.skc", -1);
  for (auto& w : probe_argv)
    if (w == std::to_string(kSteps)) w = "1";
  const double start_s = seconds_to_run(probe_argv);
  const double window_s = start_s + std::max(0.0, full_s - start_s) / kKills;
  std::printf("%s: uninterrupted run %.2f s, start-up %.2f s, timer kills within %.2f s\n", what.c_str(), full_s,
              start_s, window_s);

  std::mt19937_64 rng(20240618);
  const char* faults[] = {"kill-write", "kill-fsync", "kill-rename", "kill-renamed"};
  const std::string ckpt = run + "/checkpoint.skc";
  Tally tally;
  while (tally.kills < kKills) {
    const int64_t before = checkpoint_step(ckpt);
    std::map<std::string, std::string> env = {{"SCOREKIT_THREADS", "1"}};
    const bool inject = tally.kills % 2 == 1;
    if (inject) {
      std::string fault = faults[rng() % 4];
      if (fault == "kill-write") fault += ":" + std::to_string(1 + rng() % (ckpt_bytes - 1));
      env["LD_PRELOAD"] = SK_FAULT_INJECT;
      env["SK_FAULT"] = fault;
      env["SK_FAULT_NTH"] = std::to_string(1 + rng() % 2);  // the first or second save of this attempt
    }
    const pid_t pid = sk_test::spawn(command(ckpt, before), env, log);
    ASSERT_GT(pid, 0);
    if (!inject) {
      const auto deadline = steady_clock::now() + duration<double>(std::uniform_real_distribution<double>(0, window_s)(rng));
      ino_t last = inode_of(ckpt);
      for (int saves = 0; steady_clock::now() < deadline && saves < kMaxSavesPerTimerKill;) {
        std::this_thread::sleep_for(microseconds(200));
        const ino_t now = inode_of(ckpt);
        saves += now != last;
        last = now;
      }
      ::kill(pid, SIGKILL);
    }
    const int status = sk_test::wait_with_limit(pid, minutes(2));
    ASSERT_EQ(status, 128 + SIGKILL) << "attempt " << tally.kills + 1 << " was not killed (0: it finished); see " << log;
    ++tally.kills;
    (inject ? tally.injected : tally.timer)++;
    if (!inject && std::filesystem::exists(ckpt + ".tmp-" + std::to_string(pid))) ++tally.timer_in_save;
    // Nothing lost: the newest checkpoint always loads, and never goes back.
    int64_t after = -1;
    try {
      after = checkpoint_step(ckpt);
    } catch (const std::exception& e) {
      FAIL() << "after kill " << tally.kills << " the checkpoint does not load: " << e.what();
    }
    EXPECT_GE(after, before);
  }
  // Killed writers' temporary files are still here; the next good save removes them.
  const size_t left_by_kills = temporaries_in(run).size();
  const int64_t resumed_at = checkpoint_step(ckpt);
  ASSERT_EQ(sk_test::run(command(ckpt, resumed_at), {{"SCOREKIT_THREADS", "1"}}, log), 0) << "see " << log;
  EXPECT_TRUE(temporaries_in(run).empty()) << temporaries_in(run).front();
  sk_test::expect_identical_checkpoints(ref + "/checkpoint.skc", ckpt);
  std::printf("%s: %d kills (%d by timer, %d of them mid-save; %d inside a save), %zu temporary files left by "
              "kills and removed, last resume from step %lld of %lld; final state bit-identical\n",
              what.c_str(), tally.kills, tally.timer, tally.timer_in_save, tally.injected, left_by_kills,
              static_cast<long long>(resumed_at), static_cast<long long>(kSteps));
}

std::string spec_file() {
  const std::string path = sk_test::test_path("spec.json");
  auto spec = scorekit::Json::parse(sk_test::kTinySpec);
  spec["train"]["checkpoint_every"] = kEvery;
  sk_test::write_file(path, spec.dump());
  return path;
}

TEST(KillAnywhere, CommandLineTrainingEndsBitIdenticalAfter20Kills) {
  const std::string spec = spec_file();
  kill_anywhere("command line", [&](const std::string& ckpt, int64_t done) {
    const std::string out = std::filesystem::path(ckpt).parent_path().string();
    if (done < 0) return std::vector<std::string>{SCOREKIT_CLI, "train", "--spec", spec, "--steps", std::to_string(kSteps), "--out", out};
    return std::vector<std::string>{SCOREKIT_CLI, "train", "--resume", ckpt, "--steps", std::to_string(kSteps - done), "--out", out};
  });
}

TEST(KillAnywhere, CApiTrainingEndsBitIdenticalAfter20Kills) {
  const std::string spec = spec_file();
  kill_anywhere("C API", [&](const std::string& ckpt, int64_t) {
    return std::vector<std::string>{SK_C_TRAINER, spec, ckpt, std::to_string(kSteps), std::to_string(kEvery)};
  });
}

}  // namespace
