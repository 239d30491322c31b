#pragma once
// Each test's own temporary directory, so tests never share a file name: ctest runs tests in
// parallel, and two checkouts may test at once on one machine.
//   test_dir()        <$TMPDIR or /tmp>/scorekit-<Suite.Test>-XXXXXX, made (mkdtemp) on first use
//   test_path("a")    a file inside it
// The directory is removed when the test ends, unless the test failed or SCOREKIT_KEEP_TEST_DIRS is
// set; then its path is printed, for a look at what the test left behind.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace sk_test {

namespace detail {

struct TestDirState {
  std::string test;  // the test that owns `dir`
  std::string dir;
};

inline TestDirState& test_dir_state() {
  static TestDirState state;
  return state;
}

// Removes the finished test's directory; registered with gtest on first use of test_dir().
class TestDirCleaner : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo& info) override {
    auto& s = test_dir_state();
    if (s.dir.empty()) return;
    if (info.result()->Failed() || std::getenv("SCOREKIT_KEEP_TEST_DIRS"))
      std::printf("test files kept in %s\n", s.dir.c_str());
    else {
      std::error_code ignored;
      std::filesystem::remove_all(s.dir, ignored);
    }
    s = {};
  }
};

inline std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (!info) return "no-test";
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name)
    if (c == '/') c = '_';  // parameterised tests
  return name;
}

}  // namespace detail

inline const std::string& test_dir() {
  auto& s = detail::test_dir_state();
  const std::string test = detail::current_test_name();
  if (!s.dir.empty() && s.test == test) return s.dir;
  static bool registered = false;
  if (!registered) {
    ::testing::UnitTest::GetInstance()->listeners().Append(new detail::TestDirCleaner);
    registered = true;
  }
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/scorekit-" + test + "-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    ADD_FAILURE() << "cannot create a temporary directory from " << pattern;
    std::abort();
  }
  s = {test, pattern};
  return s.dir;
}

inline std::string test_path(const std::string& name) { return test_dir() + "/" + name; }

}  // namespace sk_test
