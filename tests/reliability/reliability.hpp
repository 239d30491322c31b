#pragma once
// Shared by the reliability tests: the small training spec they run, checkpoint comparison, and
// the paths of the helper programs (set by tests/reliability/CMakeLists.txt).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "io/checkpoint.hpp"
#include "util/spec.hpp"

namespace sk_test {

// A tiny MLP on two moons: hundreds of steps a second, so a test can kill and resume it many times.
inline const char* kTinySpec =
    R"({"data": "moons", "sde": "vp", "model": {"name": "mlp", "hidden": 16, "depth": 1, "time_dim": 8},
        "objective": "dsm", "train": {"batch": 32, "seed": 11, "warmup": 20, "ema_decay": 0.9, "log_every": 1000}})";

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// The step a checkpoint holds, or -1 when there is none at `path`.
inline int64_t checkpoint_step(const std::string& path) {
  return std::filesystem::exists(path) ? scorekit::load_checkpoint(path).step : -1;
}

// Two checkpoints hold the same run state bit for bit: spec, step, generator state and every
// tensor (weights "model/", EMA weights "ema/", Adam moments and step counts "optim/").
inline void expect_identical_checkpoints(const std::string& a_path, const std::string& b_path) {
  const auto a = scorekit::load_checkpoint(a_path), b = scorekit::load_checkpoint(b_path);
  EXPECT_EQ(a.spec_json, b.spec_json);
  EXPECT_EQ(a.step, b.step);
  EXPECT_TRUE(a.rng_state == b.rng_state) << "generator states differ";
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  int model = 0, ema = 0, optim = 0;
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const auto &x = a.tensors[i], &y = b.tensors[i];
    ASSERT_EQ(x.name, y.name);
    ASSERT_EQ(x.value.scalar_type(), y.value.scalar_type()) << x.name;
    ASSERT_TRUE(x.value.sizes().equals(y.value.sizes())) << x.name;
    EXPECT_EQ(std::memcmp(x.value.data_ptr(), y.value.data_ptr(), x.value.nbytes()), 0) << x.name << " differs";
    model += x.name.rfind("model/", 0) == 0;
    ema += x.name.rfind("ema/", 0) == 0;
    optim += x.name.rfind("optim/", 0) == 0;
  }
  EXPECT_GT(model, 0);
  EXPECT_EQ(ema, model);
  EXPECT_GT(optim, 0);
  EXPECT_TRUE(read_file(a_path) == read_file(b_path)) << "the files differ byte-wise";
}

}  // namespace sk_test
