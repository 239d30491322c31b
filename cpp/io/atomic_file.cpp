#include "io/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/error.hpp"

namespace scorekit {

namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int err, const std::string& tmp) {
  ::unlink(tmp.c_str());
  throw IoError("cannot " + what + " '" + path + "': " + std::strerror(err));
}

// Removes PATH.tmp-<pid> files whose writer no longer runs (it was killed mid-save), so that
// repeated kills do not pile up copies of a checkpoint. A live writer's file is left alone.
void remove_stale_temporaries(const std::string& dir, const std::string& path) {
  const std::string base = path.substr(path.find_last_of('/') + 1) + ".tmp-";
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (const dirent* e = ::readdir(d)) {
    if (std::strncmp(e->d_name, base.c_str(), base.size()) != 0) continue;
    char* end = nullptr;
    const long pid = std::strtol(e->d_name + base.size(), &end, 10);
    if (pid <= 0 || *end || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) ::unlinkat(::dirfd(d), e->d_name, 0);
  }
  ::closedir(d);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError("cannot write '" + path + "': " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail("write", path, err, tmp);
    }
    done += static_cast<size_t>(n);
  }
  // A full disk or a lost network file system may only show here.
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    fail("flush", path, err, tmp);
  }
  if (::close(fd) != 0) fail("flush", path, errno, tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename into", path, errno, tmp);
  // Make the rename itself durable: without this, a power cut may bring back the old directory entry.
  const std::string dir = directory_of(path);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  remove_stale_temporaries(dir, path);
}

}  // namespace scorekit
