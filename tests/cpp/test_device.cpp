// CUDA paths: a model on the GPU gives the same scores as on the CPU. Skips without a GPU.
#include <gtest/gtest.h>

#include <ATen/Context.h>

#include "models/score_model.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

TEST(Device, CudaModelMatchesCpuModel) {
  if (!at::hasCUDA()) GTEST_SKIP() << "no CUDA device: LibTorch built without CUDA or no GPU present";
  auto spec = Json{{"data", "moons"}, {"sde", "vp"}, {"objective", "dsm"}, {"train", {{"seed", 2}}}};
  spec["model"] = {{"name", "mlp"}, {"device", "cpu"}};
  Trainer cpu(spec);
  spec["model"]["device"] = "cuda";
  Trainer gpu(spec);
  auto x = at::randn({64, 2});
  auto t = at::rand({64}) * 0.9 + 0.05;
  auto a = cpu.model().score(x, t);
  auto b = gpu.model().score(x.cuda(), t.cuda()).cpu();
  EXPECT_LT((a - b).abs().max().item<double>(), 1e-4);
  // Same seed → same draws on both devices, so the first losses agree to float tolerance.
  EXPECT_NEAR(cpu.step().loss, gpu.step().loss, 1e-3);
}

TEST(Device, UnknownDeviceIsRejected) {
  auto spec = Json{{"data", "moons"}, {"model", {{"name", "mlp"}, {"device", "tpu"}}}};
  EXPECT_ANY_THROW(Trainer t(spec));
}
