#pragma once
// Child processes for tests that kill, time or cut off real programs (the command line, a C
// program using libscorekit, the ranks of a job). posix_spawn, so nothing runs between fork and
// exec in a test process that already holds LibTorch's threads.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sk_test {

// Starts argv[0] (a path) with the test's environment plus `env`, stdout and stderr into `log`.
inline pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                   const std::string& log = "/dev/null") {
  std::vector<std::string> vars;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (!env.count(kv.substr(0, kv.find('=')))) vars.push_back(kv);
  }
  for (const auto& [k, v] : env) vars.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);
  std::vector<std::string> words = argv;
  for (auto& w : words) args.push_back(w.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t io;
  posix_spawn_file_actions_init(&io);
  posix_spawn_file_actions_addopen(&io, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&io, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &io, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&io);
  if (rc != 0) ADD_FAILURE() << "cannot start " << argv[0] << ": " << std::strerror(rc);
  return rc == 0 ? pid : -1;
}

// The exit code of pid, 128 + the signal that ended it, or -1 when it outlived `limit` (it is
// then killed).
inline int wait_with_limit(pid_t pid, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

// Runs argv to completion (at most `limit`) and returns what wait_with_limit returns.
inline int run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
               const std::string& log = "/dev/null", std::chrono::milliseconds limit = std::chrono::minutes(5)) {
  const pid_t pid = spawn(argv, env, log);
  return pid < 0 ? -1 : wait_with_limit(pid, limit);
}

}  // namespace sk_test
