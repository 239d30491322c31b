// keep_freed_memory: freed tensor memory stays in the process instead of being faulted in anew.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <ATen/ATen.h>

#include "util/keep_freed_memory.hpp"

using namespace scorekit;

namespace {

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

// Page faults per allocate–write–free cycle of a 24 MiB tensor. By default glibc maps it afresh every
// cycle: its automatic mmap threshold rises to the size of the block just freed, which the next
// block of the same size then equals.
double faults_per_cycle() {
  const int cycles = 5;
  const long before = minor_faults();
  for (int i = 0; i < cycles; ++i) {
    auto t = at::empty({6 << 20}, at::kFloat);
    t.fill_(1.0f);
    EXPECT_EQ(t[t.numel() - 1].item<float>(), 1.0f);
  }
  return double(minor_faults() - before) / cycles;
}

}  // namespace

TEST(KeepFreedMemory, LargeTensorsAreNotFaultedInAgainEveryStep) {
#if !defined(__GLIBC__)
  GTEST_SKIP() << "glibc only";
#else
  // One cycle first: whatever the first use of the allocator maps once is not counted.
  faults_per_cycle();
  const double by_default = faults_per_cycle();
  ASSERT_TRUE(keep_freed_memory());
  ASSERT_TRUE(keep_freed_memory());  // idempotent
  faults_per_cycle();  // the first cycle after the change grows the heap once
  const double kept = faults_per_cycle();
  // 24 MiB is 6 144 pages of 4 KiB: by default each cycle faults about that many.
  EXPECT_GT(by_default, 3000) << "glibc's defaults no longer map 24 MiB blocks afresh every cycle";
  EXPECT_LT(kept, 100) << "with the thresholds raised, the freed block should be reused";
#endif
}
