// The command line's default thread count follows the cores other processes leave free.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "util/adaptive_threads.hpp"

using namespace scorekit;

TEST(AdaptiveThreads, FreeCoresRoundHalfDownWithinOneAndTheMaximum) {
  EXPECT_EQ(threads_for_load(2, 0.0, 2), 2);
  EXPECT_EQ(threads_for_load(2, 0.05, 2), 2);  // background noise leaves both cores
  EXPECT_EQ(threads_for_load(2, 0.7, 2), 1);   // a competitor mostly busy takes its core
  EXPECT_EQ(threads_for_load(2, 1.0, 2), 1);
  EXPECT_EQ(threads_for_load(2, 3.0, 2), 1);   // never fewer than one
  EXPECT_EQ(threads_for_load(16, 3.0, 16), 13);
  EXPECT_EQ(threads_for_load(16, 0.0, 4), 4);  // never more than asked
  EXPECT_EQ(threads_for_load(2, -0.2, 2), 2);  // rounding in the kernel's tick counts
}

TEST(AdaptiveThreads, BusyProcessesOnEveryCoreLeaveOneThread) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  std::vector<pid_t> hogs;
  for (int i = 0; i < cores; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (volatile unsigned long n = 0;; ++n) {
      }
    }
    hogs.push_back(pid);
  }
  AdaptiveThreads adaptive(cores, /*sample_ms=*/300);
  const int chosen = adaptive.threads();
  for (pid_t pid : hogs) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  EXPECT_EQ(chosen, 1) << "with " << cores << " busy processes on " << cores << " cores";
}
