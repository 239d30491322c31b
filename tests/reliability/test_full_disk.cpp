// A checkpoint save that runs out of room part-way: the previous checkpoint stays intact, the error
// names the file and the system's reason, no temporary file is left behind, and training goes on
// (and ends bit for bit where an undisturbed run ends). Once on a file-size limit (RLIMIT_FSIZE,
// any user, in this process) and once on a really full tmpfs (root, in a private mount namespace).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include "io/checkpoint.hpp"
#include "reliability.hpp"
#include "subprocess.hpp"
#include "test_dir.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"

using namespace scorekit;

namespace {

bool has_temporaries(const std::string& dir) {
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

TEST(FullDisk, ASaveOverTheFileSizeLimitFailsCleanlyAndTrainingGoesOn) {
  const auto spec = Json::parse(sk_test::kTinySpec);
  const std::string ckpt = sk_test::test_path("checkpoint.skc"), straight = sk_test::test_path("straight.skc");
  Trainer t(spec);
  t.run(10);
  t.save(ckpt);
  const std::string before = sk_test::read_file(ckpt);

  // Room for half a checkpoint: the save fails part-way through its write.
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* old_handler = ::signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead of killing us
  rlimit small = old;
  small.rlim_cur = before.size() / 2;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  t.run(10);
  std::string message;
  try {
    t.save(ckpt);
  } catch (const IoError& e) {
    message = e.what();
  }
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &old), 0);
  ::signal(SIGXFSZ, old_handler);
  std::printf("the failed save said: %s\n", message.c_str());
  EXPECT_NE(message.find(ckpt), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_TRUE(sk_test::read_file(ckpt) == before) << "the previous checkpoint changed";
  EXPECT_FALSE(has_temporaries(sk_test::test_dir()));

  // Training goes on; its state is that of a run whose disk never filled.
  t.run(10);
  t.save(ckpt);
  Trainer u(spec);
  u.run(30);
  u.save(straight);
  sk_test::expect_identical_checkpoints(straight, ckpt);
}

TEST(FullDisk, ASaveOnAFullFileSystemFailsCleanlyAndTheRunResumes) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  if (sk_test::run({"/bin/sh", "-c", "command -v unshare"}) != 0) GTEST_SKIP() << "unshare (util-linux) not installed";
  const std::string work = sk_test::test_dir(), spec = work + "/spec.json";
  auto s = Json::parse(sk_test::kTinySpec);
  s["train"]["checkpoint_every"] = 10;
  sk_test::write_file(spec, s.dump());
  const std::string log = work + "/log.txt";
  const int status = sk_test::run({"/usr/bin/env", "unshare", "--mount", "--propagation", "private", "/bin/sh",
                                   SK_FULL_TMPFS, SCOREKIT_CLI, spec, work}, {}, log);
  if (status == 77) GTEST_SKIP() << "cannot mount a tmpfs here: " << sk_test::read_file(work + "/mount.err");
  ASSERT_EQ(status, 0) << sk_test::read_file(log);
  std::printf("%s", sk_test::read_file(log).c_str());

  const std::string err = sk_test::read_file(work + "/full.err");
  std::printf("the run on the full disk said: %s", err.c_str());
  EXPECT_EQ(sk_test::read_file(work + "/full.status"), "1\n");
  EXPECT_NE(err.find("No space left on device"), std::string::npos) << err;
  EXPECT_NE(err.find("checkpoint.skc"), std::string::npos) << err;
  EXPECT_EQ(sk_test::read_file(work + "/full.ls").find(".tmp-"), std::string::npos) << sk_test::read_file(work + "/full.ls");
  EXPECT_TRUE(sk_test::read_file(work + "/after_full.skc") == sk_test::read_file(work + "/before.skc"))
      << "the failed save changed the previous checkpoint";
  EXPECT_EQ(load_checkpoint(work + "/after_full.skc").step, 20);

  // The same 40 steps on a disk that never filled.
  ASSERT_EQ(sk_test::run({SCOREKIT_CLI, "train", "--spec", spec, "--steps", "40", "--out", work + "/straight"},
                         {{"SCOREKIT_THREADS", "1"}}),
            0);
  sk_test::expect_identical_checkpoints(work + "/straight/checkpoint.skc", work + "/final.skc");
}

}  // namespace
