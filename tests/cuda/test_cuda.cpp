// GPU paths against the CPU (ctest label `cuda`). Each test skips with "skipped: no GPU" where no
// CUDA device is visible (CI, the developer machines); scripts/gpu_check.sh runs them on a GPU.
// Randomness comes from one CPU generator on both sides, so CPU and GPU see the same noise and
// must agree to float tolerance (TF32 off, so cuBLAS/cuDNN compute in full float32).
#include <gtest/gtest.h>

#include <ATen/Context.h>
#include <torch/cuda.h>

#include <filesystem>
#include <unistd.h>

#include "io/npy.hpp"
#include "likelihood/likelihood.hpp"
#include "objectives/objective.hpp"
#include "samplers/sampler.hpp"
#include "train/distributed.hpp"
#include "train/scorer.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

bool have_gpu() { return torch::cuda::is_available() && torch::cuda::device_count() > 0; }

#define REQUIRE_GPU()                                   \
  do {                                                  \
    if (!have_gpu()) GTEST_SKIP() << "skipped: no GPU"; \
    at::globalContext().setAllowTF32CuBLAS(false);      \
    at::globalContext().setAllowTF32CuDNN(false);       \
  } while (0)

double max_rel(const at::Tensor& a, const at::Tensor& b) {
  auto x = a.detach().cpu().to(at::kDouble), y = b.detach().cpu().to(at::kDouble);
  return ((x - y).abs().max() / y.abs().max().clamp_min(1e-12)).item<double>();
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("scorekit-cuda-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// 28×28 images in [−1, 1] (the GPU machine has no Fashion-MNIST package; content does not matter here).
std::string image_file() {
  static const std::string path = [] {
    const auto file = (temp_dir("images") / "images.npy").string();
    auto gen = make_generator(0);
    write_npy(file, at::rand({64, 1, 28, 28}, gen) * 2 - 1);
    return file;
  }();
  return path;
}

Json image_spec(const std::string& device, const Json& objective) {
  return {{"data", {{"name", "npy"}, {"path", image_file()}}}, {"sde", "vp"}, {"objective", objective},
          {"model", {{"name", "unet"}, {"channels", 8}, {"channel_mult", {1, 2}}, {"attention_resolutions", {14}},
                     {"device", device}}},
          {"train", {{"batch", 8}, {"seed", 3}}}};
}

Json mlp_spec(const std::string& device) {
  return {{"data", {{"name", "mixture"}, {"path", std::string(SCOREKIT_TEST_DATA) + "/mixture2d.json"}}},
          {"sde", "vp"}, {"model", {{"name", "mlp"}, {"device", device}}}, {"train", {{"seed", 5}}}};
}

}  // namespace

TEST(Cuda, EveryObjectiveOnTheUnetMatchesTheCpu) {
  REQUIRE_GPU();
  for (const auto& name : objective_names()) {
    if (name == "local_dsm") continue;  // needs a nonlinear SDE; covered by the MLP below
    SCOPED_TRACE(name);
    Json objective = {{"name", name}};
    Trainer cpu(image_spec("cpu", objective)), gpu(image_spec("cuda", objective));
    auto x0 = cpu.data().sample(8, cpu.generator());
    auto g1 = make_generator(11), g2 = make_generator(11);
    auto obj = make_objective(objective);
    auto a = obj->loss(cpu.model(), cpu.sde(), x0, g1);
    auto b = obj->loss(gpu.model(), gpu.sde(), x0.cuda(), g2);
    a.loss.backward();
    b.loss.backward();
    EXPECT_LT(max_rel(b.loss, a.loss), 1e-3);
    auto pa = cpu.model().parameters(), pb = gpu.model().parameters();
    ASSERT_EQ(pa.size(), pb.size());
    for (size_t i = 0; i < pa.size(); ++i)
      if (pa[i].grad().defined()) {
        EXPECT_LT(max_rel(pb[i].grad(), pa[i].grad()), 5e-3) << "parameter " << i;
      }
  }
}

TEST(Cuda, EverySamplerAndTheNllMatchTheCpu) {
  REQUIRE_GPU();
  Trainer cpu(mlp_spec("cpu")), gpu(mlp_spec("cuda"));
  for (const auto& name : sampler_names()) {
    SCOPED_TRACE(name);
    auto sampler = make_sampler(Json{{"name", name}, {"steps", 10}});
    auto g1 = make_generator(7), g2 = make_generator(7);
    auto a = sampler->sample(cpu.ema_model(), cpu.sde(), 256, g1);
    auto b = sampler->sample(gpu.ema_model(), gpu.sde(), 256, g2);
    if (name != "ode_rk45") {
      EXPECT_EQ(a.nfe, b.nfe);  // adaptive steps may differ by rounding
    }
    EXPECT_LT(max_rel(b.x, a.x), 1e-3);
  }
  auto x = cpu.data().sample(64, cpu.generator());
  auto g1 = make_generator(1), g2 = make_generator(1);
  auto a = negative_log_likelihood(cpu.ema_model(), cpu.sde(), x, Json{{"divergence", "exact"}}, g1);
  auto b = negative_log_likelihood(gpu.ema_model(), gpu.sde(), x, Json{{"divergence", "exact"}}, g2);
  EXPECT_NEAR(a.mean_nats, b.mean_nats, 1e-3);
}

TEST(Cuda, CheckpointsMoveBetweenCpuAndGpu) {
  REQUIRE_GPU();
  const auto dir = temp_dir("ckpt");
  auto x = at::randn({32, 2});
  auto t = at::full({32}, 0.4);
  for (const std::string from : {"cuda", "cpu"}) {
    const std::string to = from == "cuda" ? "cpu" : "cuda";
    SCOPED_TRACE(from + " -> " + to);
    Trainer trainer(mlp_spec(from));
    trainer.run(5);
    const auto path = (dir / (from + ".skc")).string();
    trainer.save(path);
    auto loaded = load_scorer(path, to);
    EXPECT_EQ(loaded.model->device().type(), parse_device(to).type());
    torch::NoGradGuard no_grad;
    auto want = trainer.ema_model().score(x.to(trainer.ema_model().device()), t.to(trainer.ema_model().device()));
    auto got = loaded.model->score(x.to(loaded.model->device()), t.to(loaded.model->device()));
    EXPECT_LT(max_rel(got, want), 1e-5);
    // Training resumes on the other device too.
    auto resumed = Trainer::from_checkpoint(path, nullptr, to);
    EXPECT_EQ(resumed->steps_done(), 5);
    EXPECT_TRUE(std::isfinite(resumed->step().loss));
  }
  std::filesystem::remove_all(dir);
}

TEST(Cuda, TrainingOnTheGpuRepeatsForTheSameSeed) {
  REQUIRE_GPU();
  Trainer a(mlp_spec("cuda")), b(mlp_spec("cuda"));
  a.run(20);
  b.run(20);
  EXPECT_EQ(a.last_loss(), b.last_loss());
}

TEST(Cuda, OneRankNcclJobAllReducesOnTheGpu) {
  REQUIRE_GPU();
  DistributedConfig config;
  config.backend = "nccl";
  config.device = "cuda:0";
  config.master_port = 20000 + ::getpid() % 20000;
  config.timeout_s = 60;
  auto group = std::make_shared<ProcessGroup>(config);
  EXPECT_EQ(group->backend(), "nccl");
  auto t = at::full({4}, 2.5, at::TensorOptions().device(at::kCUDA));
  group->allreduce_sum({t});
  EXPECT_DOUBLE_EQ(t.sum().item<double>(), 10.0);
  Trainer trainer(mlp_spec("cuda:0"), group);
  trainer.run(3);
  EXPECT_TRUE(std::isfinite(trainer.last_loss()));
}
