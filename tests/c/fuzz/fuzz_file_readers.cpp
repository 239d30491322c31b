// libFuzzer harness for the readers of user-supplied data files: the NumPy .npy reader (read_npy)
// and the IDX reader (read_idx, gzip included). Built twice, with -DSK_FUZZ_NPY or -DSK_FUZZ_IDX.
// Each input becomes a file (an in-memory memfd, opened by path as a user's file would be); the
// only acceptable failure is a scorekit::Error with a message. Any other exception (a bare
// std::out_of_range, say), a crash, an ASan report or a huge allocation is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "util/error.hpp"
#if defined(SK_FUZZ_NPY)
#include "io/npy.hpp"
#elif defined(SK_FUZZ_IDX)
#include "io/idx.hpp"
#else
#error "define SK_FUZZ_NPY or SK_FUZZ_IDX"
#endif

namespace {

// One memfd reused for every input; its /proc path is what the reader opens.
const std::string& input_path(int* fd_out) {
  static int fd = memfd_create("scorekit-fuzz-input", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  *fd_out = fd;
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = -1;
  const std::string& path = input_path(&fd);
  if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) __builtin_trap();
  try {
#if defined(SK_FUZZ_NPY)
    auto t = scorekit::read_npy(path);
#else
    auto t = scorekit::read_idx(path);
#endif
    // Touch every element so ASan sees a buffer that does not match its shape.
    const auto* p = static_cast<const unsigned char*>(t.data_ptr());
    unsigned sum = 0;
    for (size_t i = 0; i < t.nbytes(); ++i) sum += p[i];
    if (sum == 0xFFFFFFFFu) std::puts("");
  } catch (const scorekit::Error& e) {
    if (!*e.what()) __builtin_trap();  // an error must say something
  }
  return 0;
}
