// cpu_block_cache: freed tensor blocks come back for the next request of their size, no more than
// the idle limit is held, and blocks from before the cache was installed are freed as before.
#include <gtest/gtest.h>

#include <c10/core/CPUAllocator.h>
#include <torch/torch.h>

#include <cstdlib>
#include <thread>

#include "util/cpu_block_cache.hpp"

using namespace scorekit;

TEST(CpuBlockCache, AFreedBlockServesTheNextRequestOfItsSize) {
  cpu_block_cache::install();
  cpu_block_cache::set_idle_limit(std::size_t(1) << 30);
  void* first = nullptr;
  {
    auto t = at::empty({12345});
    first = t.data_ptr();
  }
  const auto reuses = cpu_block_cache::reuses();
  auto again = at::empty({12345});
  EXPECT_EQ(again.data_ptr(), first);
  EXPECT_EQ(cpu_block_cache::reuses(), reuses + 1);
  // Another size is not served from that block.
  auto other = at::empty({777});
  EXPECT_NE(other.data_ptr(), first);
}

TEST(CpuBlockCache, HoldsNoMoreThanItsIdleLimit) {
  cpu_block_cache::install();
  cpu_block_cache::set_idle_limit(1 << 20);
  {
    std::vector<at::Tensor> held;
    for (int i = 0; i < 8; ++i) held.push_back(at::empty({100000 + i}));  // 400 kB each, 3.2 MB in all
  }
  EXPECT_LE(cpu_block_cache::idle_bytes(), std::size_t(1) << 20);
  EXPECT_GT(cpu_block_cache::idle_bytes(), 0u);
  cpu_block_cache::release_idle();
  EXPECT_EQ(cpu_block_cache::idle_bytes(), 0u);
  cpu_block_cache::set_idle_limit(std::size_t(1) << 30);
}

TEST(CpuBlockCache, BlocksFromBeforeItWasInstalledAreFreedAsBefore) {
  // oneDNN (through ideep) frees its buffers through whichever CPU allocator is current, so the
  // cache's deleter meets blocks of LibTorch's allocator. In a fresh process (the death-test
  // machinery re-runs this binary), so that nothing installed the cache yet.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        if (cpu_block_cache::installed()) std::exit(2);
        void* before = c10::GetCPUAllocator()->raw_allocate(200000);
        cpu_block_cache::install();
        c10::GetCPUAllocator()->raw_deallocate(before);  // not the cache's: freed, not kept
        void* after = c10::GetCPUAllocator()->raw_allocate(200000);
        c10::GetCPUAllocator()->raw_deallocate(after);  // the cache's: kept
        std::exit(cpu_block_cache::idle_bytes() == 200000 ? 0 : 3);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(CpuBlockCache, ThreadsGetIntactBlocks) {
  cpu_block_cache::install();
  auto work = [](int seed, bool* ok) {
    for (int i = 0; i < 200; ++i) {
      auto t = at::full({1000 + (i * seed) % 50}, float(seed));
      auto u = at::full({1000 + (i * seed) % 50}, float(seed + 1));
      *ok = *ok && (t == float(seed)).all().item<bool>() && (u == float(seed + 1)).all().item<bool>();
    }
  };
  bool a = true, b = true;
  std::thread t1(work, 3, &a), t2(work, 7, &b);
  t1.join(), t2.join();
  EXPECT_TRUE(a && b);
}
