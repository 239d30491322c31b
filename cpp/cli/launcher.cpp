#include "cli/launcher.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "util/spec.hpp"

namespace scorekit::cli {

namespace {

// Asks the kernel for a free loopback port for the rendezvous.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 29500;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

void print_error(const std::string& message) {
  std::cerr << "scorekit train: error: " << message << "\n";
  std::cout << Json{{"error", message}}.dump() << std::endl;
}

}  // namespace

int requested_nproc(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--nproc" && i + 1 < argc) return std::atoi(argv[i + 1]);
    if (a.rfind("--nproc=", 0) == 0) return std::atoi(a.c_str() + 8);
  }
  return -1;
}

int launch_local_ranks(int nproc, int argc, char** argv) {
  if (nproc < 1) {
    print_error("--nproc must be a positive integer");
    return 1;
  }
  std::vector<std::string> args;
  bool has_threads = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--nproc") { ++i; continue; }
    if (a.rfind("--nproc=", 0) == 0) continue;
    has_threads |= a == "--threads" || a.rfind("--threads=", 0) == 0;
    args.push_back(a);
  }
  const int threads = std::max(1u, std::thread::hardware_concurrency() / static_cast<unsigned>(nproc));
  const std::string port = std::to_string(free_port());
  int result_pipe[2];
  if (::pipe(result_pipe) != 0) {
    print_error("cannot create a pipe for rank 0's result");
    return 1;
  }
  std::vector<pid_t> pids;
  for (int rank = 0; rank < nproc; ++rank) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setenv("RANK", std::to_string(rank).c_str(), 1);
      ::setenv("WORLD_SIZE", std::to_string(nproc).c_str(), 1);
      ::setenv("MASTER_ADDR", "127.0.0.1", 1);
      ::setenv("MASTER_PORT", port.c_str(), 1);
      if (!has_threads) ::setenv("SCOREKIT_THREADS", std::to_string(threads).c_str(), 1);
      // Rank 0's stdout (its JSON result) goes to the launcher; the others' is discarded.
      int out = rank == 0 ? result_pipe[1] : ::open("/dev/null", O_WRONLY);
      ::dup2(out, STDOUT_FILENO);
      ::close(result_pipe[0]);
      std::vector<char*> cargs;
      for (auto& a : args) cargs.push_back(const_cast<char*>(a.c_str()));
      cargs.push_back(nullptr);
      ::execv("/proc/self/exe", cargs.data());
      std::perror("scorekit: exec");
      ::_exit(127);
    }
    if (pid < 0) {
      for (pid_t p : pids) ::kill(p, SIGTERM);
      print_error("cannot start rank " + std::to_string(rank));
      return 1;
    }
    pids.push_back(pid);
  }
  ::close(result_pipe[1]);
  std::string rank0_output;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(result_pipe[0], buf, sizeof buf)) > 0) rank0_output.append(buf, n);
  ::close(result_pipe[0]);

  int failed_rank = -1, failed_status = 0;
  for (size_t remaining = pids.size(); remaining > 0; --remaining) {
    int status = 0;
    pid_t pid = ::wait(&status);
    if (pid < 0) break;
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok && failed_rank < 0) {
      for (size_t r = 0; r < pids.size(); ++r)
        if (pids[r] == pid) failed_rank = static_cast<int>(r);
      failed_status = status;
      for (pid_t p : pids)
        if (p != pid) ::kill(p, SIGTERM);  // one rank failed: stop the job, never hang
    }
  }
  if (failed_rank >= 0) {
    const std::string how = WIFSIGNALED(failed_status) ? "was killed by signal " + std::to_string(WTERMSIG(failed_status))
                                                       : "exited with status " + std::to_string(WEXITSTATUS(failed_status));
    print_error("rank " + std::to_string(failed_rank) + " " + how + "; the other ranks were stopped");
    return 1;
  }
  // Relay rank 0's result, adding the rank count.
  auto last = rank0_output.find_last_not_of('\n');
  auto start = rank0_output.rfind('\n', last);
  std::string line = rank0_output.substr(start == std::string::npos ? 0 : start + 1, last == std::string::npos ? 0 : last - (start == std::string::npos ? 0 : start + 1) + 1);
  try {
    Json result = Json::parse(line);
    result["nproc"] = nproc;
    std::cout << result.dump() << std::endl;
  } catch (const std::exception&) {
    print_error("rank 0 produced no result");
    return 1;
  }
  return 0;
}

}  // namespace scorekit::cli
