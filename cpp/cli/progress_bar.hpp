#pragma once
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "util/progress.hpp"
#include "util/threads.hpp"

namespace scorekit::cli {

// A one-line progress bar on stderr, drawn only when stderr is a terminal.
inline ProgressFn progress_bar(const std::string& label) {
  if (!isatty(STDERR_FILENO)) return nullptr;
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return [label, last](int64_t done, int64_t total) {
    auto now = std::chrono::steady_clock::now();
    if (done != total && now - *last < std::chrono::milliseconds(100)) return true;
    *last = now;
    const int width = 30, filled = static_cast<int>(width * done / std::max<int64_t>(total, 1));
    std::fprintf(stderr, "\r%s [%s%s] %lld/%lld", label.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<long long>(done), static_cast<long long>(total));
    if (done == total) std::fprintf(stderr, "\n");
    return true;
  };
}

// `inner` (may be null), after letting an adaptive thread count follow the machine's load
// (util/threads.hpp): the command line's long loops report progress after every step or sampler step.
inline ProgressFn adapting_threads(ProgressFn inner) {
  return [inner = std::move(inner)](int64_t done, int64_t total) {
    adapt_threads();
    return inner ? inner(done, total) : true;
  };
}

}  // namespace scorekit::cli
