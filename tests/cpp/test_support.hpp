#pragma once
// Helpers shared by the test files: a fresh temporary folder, the message of an Error, and the
// command line's JSON result.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "test_dir.hpp"
#include "expect.hpp"
#include "util/error.hpp"

// An empty folder inside this test's own temporary directory (test_dir.hpp).
inline std::string fresh_test_dir(const std::string& name) {
  const std::string dir = sk_test::test_path(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs the scorekit command line and returns its last stdout line (the JSON result).
inline std::string cli_last_line(const std::string& command) {
  std::string out;
  if (FILE* p = popen((command + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  const auto end = out.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const auto nl = out.find_last_of('\n', end);
  const auto start = nl == std::string::npos ? 0 : nl + 1;
  return out.substr(start, end - start + 1);
}

#ifdef SCOREKIT_CLI
// One small U-Net training step through the command line with an environment setting in front
// (the library's SCOREKIT_* switches); its last stdout line.
inline std::string unet_step_with(const std::string& setting) {
  const std::string spec =
      R"({"data": {"name": "fashion-mnist", "limit": 64}, "sde": "vp", "objective": "dsm", "train": {"batch": 4},)"
      R"( "model": {"name": "unet", "channels": 8, "channel_mult": [1, 2]}})";
  return cli_last_line(setting + " " + SCOREKIT_CLI + " bench --threads 1 --steps 1 --spec '" + spec + "'");
}
#endif
