// The SCOREKIT_* environment settings are parsed strictly: a malformed value is a clear error that
// names the variable and the value, through the library and through the command line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "test_support.hpp"
#include "util/env_setting.hpp"

using namespace scorekit;

namespace {
// Sets (or, with nullopt, unsets) a variable for the scope of a test, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? setenv(name, value->c_str(), 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};
}  // namespace

TEST(EnvSetting, SwitchesTakeZeroOrOneAndElseFallBackOnlyWhenUnset) {
  const char* name = "SCOREKIT_TEST_SWITCH";
  {
    ScopedEnv e(name, std::nullopt);
    EXPECT_TRUE(env_switch(name, true));
    EXPECT_FALSE(env_switch(name, false));
  }
  {
    ScopedEnv e(name, "");
    EXPECT_TRUE(env_switch(name, true));
  }
  {
    ScopedEnv e(name, "0");
    EXPECT_FALSE(env_switch(name, true));
  }
  {
    ScopedEnv e(name, "1");
    EXPECT_TRUE(env_switch(name, false));
  }
  for (const char* bad : {"yes", "true", "2", " 1", "off"}) {
    ScopedEnv e(name, bad);
    const std::string want = std::string(name) + "=" + bad + ": expected 0 or 1";
    sk_test::expect_error([&] { env_switch(name, true); }, {want.c_str()});
  }
}

TEST(EnvSetting, CountsTakeWholeNumbers) {
  const char* name = "SCOREKIT_TEST_COUNT";
  {
    ScopedEnv e(name, std::nullopt);
    EXPECT_EQ(env_count(name, 7), 7);
  }
  {
    ScopedEnv e(name, "0");
    EXPECT_EQ(env_count(name, 7), 0);
  }
  {
    ScopedEnv e(name, "12");
    EXPECT_EQ(env_count(name, 7), 12);
  }
  for (const char* bad : {"two", "-1", "1.5", "3 ", "99999999999"}) {
    ScopedEnv e(name, bad);
    const std::string want = std::string(name) + "=" + bad + ": expected a whole number";
    sk_test::expect_error([&] { env_count(name, 7); }, {want.c_str()});
  }
}

#ifdef SCOREKIT_CLI
// Each switch the library and the command line read, set to nonsense: a clear error, not the default
// (SCOREKIT_CHANNELS_LAST: Unet.UnknownChannelsLastSettingIsAClearError).
TEST(EnvSetting, TheCommandLineReportsEveryMalformedSetting) {
  for (const char* setting : {"SCOREKIT_FUSED_ADAM=yes", "SCOREKIT_KEEP_FREED_MEMORY=2"}) {
    const auto line = unet_step_with(setting);
    EXPECT_NE(line.find(std::string(setting) + ": expected 0 or 1"), std::string::npos) << setting << ": " << line;
  }
  const auto line = cli_last_line(std::string("SCOREKIT_THREADS=two ") + SCOREKIT_CLI + " bench --sgemm 64 --reps 1");
  EXPECT_NE(line.find("SCOREKIT_THREADS=two: expected a whole number"), std::string::npos) << line;
}
#endif
