// Device handling that any machine can check: names, errors without a GPU, the build report, the
// backend choice for data parallelism. The GPU itself is exercised by tests/cuda (label `cuda`).
#include <gtest/gtest.h>

#include <torch/cuda.h>
#include <torch/version.h>

#include <filesystem>
#include <unistd.h>

#include "expect.hpp"
#include "io/checkpoint.hpp"
#include "train/distributed.hpp"
#include "train/scorer.hpp"
#include "train/trainer.hpp"
#include "util/build_info.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {
using sk_test::error_of;
bool have_gpu() { return torch::cuda::is_available() && torch::cuda::device_count() > 0; }
}  // namespace

TEST(Device, NamesParseAndBadOnesExplainThemselves) {
  EXPECT_TRUE(parse_device("cpu").is_cpu());
  const auto tpu = error_of([] { parse_device("tpu"); });
  EXPECT_NE(tpu.find("unknown device 'tpu'"), std::string::npos) << tpu;
  EXPECT_EQ(tpu.find("Exception raised from"), std::string::npos) << "no LibTorch backtrace: " << tpu;
  auto spec = Json{{"data", "moons"}, {"model", {{"name", "mlp"}, {"device", "tpu"}}}};
  EXPECT_NE(error_of([&] { Trainer t(spec); }).find("unknown device 'tpu'"), std::string::npos);
  if (have_gpu()) GTEST_SKIP() << "a GPU is visible: the no-GPU messages cannot be checked here";
  const auto cuda = error_of([] { parse_device("cuda:0"); });
  EXPECT_TRUE(cuda.find("no CUDA GPU is visible") != std::string::npos ||
              cuda.find("built against a LibTorch without CUDA") != std::string::npos) << cuda;
  EXPECT_FALSE(error_of([] { make_generator(1, at::Device("cuda:0")); }).empty());
}

TEST(Device, BuildInfoReportsThisBuild) {
  const Json info = build_info();
  for (const char* key : {"scorekit", "torch", "cuda", "cudnn", "gpus", "blas", "onednn", "threads"})
    EXPECT_TRUE(info.contains(key)) << key;
  EXPECT_EQ(info["torch"], TORCH_VERSION);
  EXPECT_EQ(info["gpus"], static_cast<int>(torch::cuda::device_count()));
  EXPECT_EQ(info["threads"], at::get_num_threads());
#ifdef SCOREKIT_WITH_CUDA
  ASSERT_TRUE(info["cuda"].is_string()) << info.dump();  // compiled in, whether or not a GPU is present
  EXPECT_TRUE(info["nccl"].get<bool>());
#else
  EXPECT_TRUE(info["cuda"].is_null()) << info.dump();
#endif
}

TEST(Device, BackendFollowsTheDevice) {
  DistributedConfig c;
  EXPECT_EQ(c.resolved_backend(), "gloo");  // auto on the CPU
  c.backend = "gloo";
  EXPECT_EQ(c.resolved_backend(), "gloo");
  c.backend = "nccl";
  const auto nccl = error_of([&] { c.resolved_backend(); });
  EXPECT_NE(nccl.find("nccl"), std::string::npos) << nccl;  // CUDA tensors only, or not built in
  c.backend = "mpi";
  EXPECT_NE(error_of([&] { c.resolved_backend(); }).find("valid: auto, gloo, nccl"), std::string::npos);
}

TEST(Device, CheckpointLoadsOnTheDeviceAsked) {
  const auto dir = std::filesystem::temp_directory_path() / ("scorekit-device-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "ck.skc").string();
  Trainer t(Json{{"data", "moons"}, {"train", {{"seed", 1}}}});
  t.run(2);
  t.save(path);
  auto s = load_scorer(path, "cpu");
  EXPECT_TRUE(s.model->device().is_cpu());
  if (!have_gpu()) {
    EXPECT_FALSE(error_of([&] { load_scorer(path, "cuda"); }).empty());
    // A checkpoint written on a GPU (its spec names cuda:0) scores here on the CPU, identically.
    auto ck = load_checkpoint(path);
    auto spec = Json::parse(ck.spec_json);
    spec["model"]["device"] = "cuda:0";
    ck.spec_json = spec.dump();
    const std::string gpu_path = (dir / "gpu.skc").string();
    save_checkpoint(gpu_path, ck);
    auto moved = load_scorer(gpu_path);
    EXPECT_TRUE(moved.model->device().is_cpu());
    auto x = at::randn({8, 2});
    auto t = at::full({8}, 0.3);
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(at::equal(moved.model->score(x, t), s.model->score(x, t)));
    // Resuming training asks for the device its spec names, and says why it cannot.
    EXPECT_NE(error_of([&] { Trainer::from_checkpoint(gpu_path); }).find("cuda:0"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(Device, SameSeedSameGeneratorStream) {
  auto a = make_generator(42), b = make_generator(42);
  auto opts = at::TensorOptions();
  EXPECT_TRUE(at::equal(randn({16}, a, opts), randn({16}, b, opts)));
}
