// --keep-last keeps only the newest numbered checkpoints; --sample-every writes seeded sample grids.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "expect.hpp"
#include "test_support.hpp"
#include "train/checkpoint_retention.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"

using namespace scorekit;
namespace fs = std::filesystem;

namespace {
using sk_test::read_all;

std::string retention_dir(const std::string& name) { return fresh_test_dir("retention_" + name); }

TEST(CheckpointRetention, PrunesOnlyTheOldestNumberedFiles) {
  const auto dir = retention_dir("prune");
  const std::string ck = dir + "/checkpoint.skc";
  EXPECT_EQ(numbered_checkpoint_path(ck, 500), dir + "/checkpoint-00000500.skc");
  for (int step : {100, 2000, 300, 40000, 5})
    std::ofstream(numbered_checkpoint_path(ck, step)) << step;
  for (const char* other : {"/checkpoint.skc", "/checkpoint-best.skc", "/other-00000001.skc", "/checkpoint-00000007.txt"})
    std::ofstream(dir + other) << "keep me";
  EXPECT_EQ(prune_numbered_checkpoints(ck, 2), 3);
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.insert(e.path().filename().string());
  EXPECT_EQ(left, (std::set<std::string>{"checkpoint-00002000.skc", "checkpoint-00040000.skc", "checkpoint.skc",
                                         "checkpoint-best.skc", "other-00000001.skc", "checkpoint-00000007.txt"}));
}

TEST(CheckpointRetention, TrainerRefusesKeepLastWithoutPeriodicCheckpoints) {
  Trainer t(Json{{"data", "moons"}, {"model", {{"name", "mlp"}, {"hidden", 8}, {"depth", 1}}}});
  EXPECT_THROW(t.set_checkpointing("x.skc", 0, 2), Error);
  EXPECT_THROW(t.set_checkpointing("x.skc", 5, -1), Error);
}

TEST(CheckpointRetention, CommandLineKeepsTheLastTwoAndDrawsSeededGrids) {
  const auto dir = retention_dir("cli");
  const std::string base = std::string(SCOREKIT_CLI) + " train --threads 1 --data moons --batch 16 --steps 6 "
                           "--checkpoint-every 2 --keep-last 2 --sample-every 3 --out ";
  auto r = Json::parse(cli_last_line(base + dir + "/a"));
  ASSERT_TRUE(r.contains("checkpoint")) << r.dump();
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(dir + "/a")) files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"checkpoint-00000004.skc", "checkpoint-00000006.skc", "checkpoint.skc",
                                          "metrics.jsonl", "samples-00000003.png", "samples-00000006.png"}));
  // The last numbered checkpoint is the final state, byte for byte.
  EXPECT_EQ(read_all(dir + "/a/checkpoint-00000006.skc"), read_all(dir + "/a/checkpoint.skc"));
  // Grids come from a fixed seed: the same run draws the same picture.
  cli_last_line(base + dir + "/b");
  EXPECT_EQ(read_all(dir + "/a/samples-00000006.png"), read_all(dir + "/b/samples-00000006.png"));
  EXPECT_GT(fs::file_size(dir + "/a/samples-00000003.png"), 100u);
  auto bad = Json::parse(cli_last_line(std::string(SCOREKIT_CLI) + " train --data moons --steps 2 --keep-last 2 --out " + dir + "/c"));
  ASSERT_TRUE(bad.contains("error"));
  EXPECT_NE(bad["error"].get<std::string>().find("--checkpoint-every"), std::string::npos) << bad.dump();
}

}  // namespace
