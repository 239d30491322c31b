// Messages users read: LibTorch's errors reach them as text without the C++ backtrace, on the
// command line (JSON and stderr) as in the library; STF's pool limit names the micro-batch.
#include <gtest/gtest.h>

#include <c10/util/Exception.h>

#include <cstdio>
#include <fstream>

#include "test_dir.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/error_text.hpp"

using namespace scorekit;

namespace {

bool has_backtrace(const std::string& s) {
  return s.find("Exception raised from") != std::string::npos || s.find("frame #") != std::string::npos;
}

// Runs a shell command; returns its stdout and stderr together.
std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  while (p && std::fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  return out;
}

}  // namespace

TEST(ErrorMessages, LibTorchErrorsLoseTheirBacktrace) {
  try {
    at::mm(at::ones({2, 3}), at::ones({2, 3}));
    FAIL() << "LibTorch accepted a 2×3 by 2×3 product";
  } catch (const c10::Error& e) {
    const std::string text = error_text(e);
    EXPECT_NE(text.find("cannot be multiplied"), std::string::npos) << text;
    EXPECT_FALSE(has_backtrace(text)) << text;
  }
  EXPECT_EQ(error_text(Error("plain")), "plain");
}

// A 2-D mixture file whose score network would need petabytes: LibTorch's allocator refuses (an
// address space this large cannot be reserved, whatever the overcommit policy), and the command
// line must report that without the C++ frames.
TEST(ErrorMessages, CommandLineReportsLibTorchErrorsWithoutBacktrace) {
  const std::string spec = sk_test::test_path("huge_model.json");
  std::ofstream(spec) << R"({"data": "moons", "model": {"name": "mlp", "hidden": 10000000000000, "depth": 1}})";
  const std::string out = run(std::string(SCOREKIT_CLI) + " train --threads 1 --steps 1 --spec " + spec + " --out " +
                              sk_test::test_path("huge_model_run"));
  EXPECT_NE(out.find("{\"error\":"), std::string::npos) << out;
  EXPECT_NE(out.find("scorekit train: error:"), std::string::npos) << out;
  EXPECT_FALSE(has_backtrace(out)) << out;
}

TEST(ErrorMessages, StfPoolLimitNamesTheMicroBatch) {
  Json spec = {{"data", "moons"}, {"model", {{"name", "mlp"}, {"hidden", 8}, {"depth", 1}}},
               {"objective", {{"name", "stf"}, {"reference", 8}}}, {"train", {{"batch", 16}, {"micro_batch", 4}}}};
  Trainer trainer(spec);
  try {
    trainer.step();
    FAIL() << "a reference pool of 8 accepted in micro-batches of 4";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("micro-batch of 4"), std::string::npos) << msg;
    EXPECT_NE(msg.find("train.micro_batch"), std::string::npos) << msg;
  }
}
