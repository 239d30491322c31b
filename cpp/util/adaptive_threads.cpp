#include "util/adaptive_threads.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace scorekit {

AdaptiveThreads::AdaptiveThreads(int max_threads, int sample_ms, double period_s)
    : max_threads_(std::max(1, max_threads)), threads_(max_threads_), period_s_(period_s) {
  last_ = snapshot();
  std::this_thread::sleep_for(std::chrono::milliseconds(sample_ms));
  decide(snapshot());
  at::set_num_threads(threads_);
}

void AdaptiveThreads::update() {
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_time_).count() < period_s_) return;
  decide(snapshot());
}

AdaptiveThreads::Snapshot AdaptiveThreads::snapshot() {
  Snapshot s;
  std::ifstream stat("/proc/stat");
  std::string cpu;
  long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (!(stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) || cpu != "cpu") return s;
  s.busy = user + nice + system + irq + softirq + steal;
  s.total = s.busy + idle + iowait;
  // Fields 14 and 15 of /proc/self/stat: this process's user and system time (all its threads).
  std::ifstream self("/proc/self/stat");
  std::string line;
  if (!std::getline(self, line)) return s;
  std::istringstream rest(line.substr(line.rfind(')') + 2));  // skip "pid (comm) "
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  s.own = utime + stime;
  s.ok = true;
  return s;
}

int threads_for_load(double cores, double others_busy, int max_threads) {
  const int free_cores = static_cast<int>(std::floor(cores - std::max(0.0, others_busy) + 0.4));
  return std::clamp(free_cores, 1, std::max(1, max_threads));
}

void AdaptiveThreads::decide(const Snapshot& now) {
  last_time_ = std::chrono::steady_clock::now();
  if (now.ok && last_.ok && now.total > last_.total) {
    const double cores = static_cast<double>(std::thread::hardware_concurrency());
    const double span = static_cast<double>(now.total - last_.total) / std::max(cores, 1.0);  // ticks per core
    const double others = static_cast<double>((now.busy - last_.busy) - (now.own - last_.own)) / span;
    const int want = threads_for_load(cores, others, max_threads_);
    if (want != threads_) {
      threads_ = want;
      at::set_num_threads(threads_);
    }
  }
  last_ = now;
}

}  // namespace scorekit
