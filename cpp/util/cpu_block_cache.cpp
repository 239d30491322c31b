#include "util/cpu_block_cache.hpp"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/alignment.h>
#include <c10/core/impl/alloc_cpu.h>
#include <torch/version.h>

#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace scorekit::cpu_block_cache {

namespace {

struct State {
  std::mutex mutex;
  std::unordered_map<void*, std::size_t> sizes;             // every block of ours, live or idle
  std::unordered_map<std::size_t, std::vector<void*>> idle;  // freed blocks by size
  std::size_t idle_bytes = 0;
  std::size_t idle_limit = std::size_t(1) << 30;
  std::size_t reuses = 0;
  bool installed = false;
};

// Never destroyed: tensors may still be freed while the process's statics are torn down.
State& state() {
  static State* s = new State();
  return *s;
}

std::size_t size_class(std::size_t n) { return (n + c10::gAlignment - 1) / c10::gAlignment * c10::gAlignment; }

// Takes every idle block out of the cache (the caller frees them outside the lock).
std::vector<void*> take_idle(State& s) {
  std::vector<void*> out;
  for (auto& [size, blocks] : s.idle)
    for (void* p : blocks) {
      s.sizes.erase(p);
      out.push_back(p);
    }
  s.idle.clear();
  s.idle_bytes = 0;
  return out;
}

void release(void* p) {
  if (!p) return;
  auto& s = state();
  std::vector<void*> to_free;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.sizes.find(p);
    if (it == s.sizes.end()) {
      // Allocated before the cache was installed (LibTorch's allocator, whose blocks are
      // c10::alloc_cpu's) and freed through it since: oneDNN frees through the current allocator.
      to_free.push_back(p);
    } else if (it->second > s.idle_limit) {
      s.sizes.erase(it);
      to_free.push_back(p);
    } else {
      if (s.idle_bytes + it->second > s.idle_limit) to_free = take_idle(s);
      s.idle[it->second].push_back(p);
      s.idle_bytes += it->second;
    }
  }
  for (void* q : to_free) c10::free_cpu(q);
}

c10::DataPtr allocate_block(std::size_t n) {
  if (n == 0) return {nullptr, nullptr, &release, c10::Device(c10::DeviceType::CPU)};
  const std::size_t size = size_class(n);
  auto& s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.idle.find(size);
    if (it != s.idle.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      s.idle_bytes -= size;
      ++s.reuses;
      return {p, p, &release, c10::Device(c10::DeviceType::CPU)};
    }
  }
  void* p = c10::alloc_cpu(size);  // throws c10::Error when out of memory
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.sizes.emplace(p, size);
  }
  return {p, p, &release, c10::Device(c10::DeviceType::CPU)};
}

class BlockCacheAllocator final : public c10::Allocator {
 public:
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
  c10::DataPtr allocate(std::size_t n) override { return allocate_block(n); }
  void copy_data(void* dest, const void* src, std::size_t count) const override { default_copy_data(dest, src, count); }
#else
  c10::DataPtr allocate(std::size_t n) const override { return allocate_block(n); }
#endif
  c10::DeleterFnPtr raw_deleter() const override { return &release; }
};

}  // namespace

void install() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.installed) return;
  static BlockCacheAllocator allocator;
  c10::SetCPUAllocator(&allocator);
  s.installed = true;
}

bool installed() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.installed;
}

void set_idle_limit(std::size_t bytes) {
  auto& s = state();
  std::vector<void*> to_free;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.idle_limit = bytes;
    if (s.idle_bytes > bytes) to_free = take_idle(s);
  }
  for (void* p : to_free) c10::free_cpu(p);
}

std::size_t idle_bytes() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.idle_bytes;
}

std::size_t reuses() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.reuses;
}

void release_idle() {
  auto& s = state();
  std::vector<void*> to_free;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    to_free = take_idle(s);
  }
  for (void* p : to_free) c10::free_cpu(p);
}

}  // namespace scorekit::cpu_block_cache
