// The fused GroupNorm + SiLU (models/group_norm_silu.hpp) against ATen's group_norm and silu in
// double precision, contiguous and channels-last: values, every gradient, the differentiable
// backward pass that SSM and ISM need, NaN containment, and its argument checks. Each fused kernel this processor runs is tested;
// the others are skipped with a message.
#include <gtest/gtest.h>

#include "models/group_norm_silu.hpp"
#include "test_support.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

struct Case {
  std::vector<int64_t> shape;
  int64_t groups;
  bool shift;
  double offset;  // added to x: a mean far from zero tests the variance's cancellation
};

const std::vector<Case> kCases = {
    {{2, 16, 28, 28}, 4, false, 0.0},  // the benchmark U-Net's first level
    {{3, 8, 5, 7}, 2, true, 0.0},      // 35 values a row: vector body and scalar tail
    {{4, 6, 13}, 3, true, 300.0},      // one spatial dimension, large mean
    {{2, 4, 3}, 1, false, -2.0},       // rows shorter than one vector
    {{2, 24, 5, 3}, 6, true, 300.0},   // channels-last: 24 channels, a vector and a tail of channels
    {{2, 32, 3, 5}, 8, true, 0.0},     // channels-last: 2 (AVX-512) or 4 (AVX2) whole vectors a pixel
    {{2, 48, 4, 3}, 12, false, 1.0},   // channels-last: 3 (AVX-512) or 6 (AVX2, the general loop)
};

struct Inputs {
  at::Tensor x, weight, bias, shift, dy;
};

Inputs inputs_of(const Case& c, uint64_t seed) {
  auto gen = make_generator(seed);
  const int64_t ch = c.shape[1];
  Inputs in;
  in.x = at::randn(c.shape, gen, at::kDouble) * 2 + c.offset;
  in.weight = at::randn({ch}, gen, at::kDouble);
  in.bias = at::randn({ch}, gen, at::kDouble);
  if (c.shift) in.shift = at::randn({c.shape[0], ch}, gen, at::kDouble) * 3;
  in.dy = at::randn(c.shape, gen, at::kDouble);
  return in;
}

// y and the gradients of <y, dy> with respect to every input, by `kernel` in `dtype`.
// With channels_last, x (4-D) is laid out channels-last.
std::vector<at::Tensor> evaluate(const Case& c, const Inputs& in, GroupNormSiluKernel kernel, at::ScalarType dtype,
                                 bool channels_last = false) {
  auto leaf = [&](const at::Tensor& t) { return t.defined() ? t.to(dtype).detach().requires_grad_() : at::Tensor(); };
  auto x = leaf(channels_last ? in.x.contiguous(at::MemoryFormat::ChannelsLast) : in.x);
  auto w = leaf(in.weight), b = leaf(in.bias), s = leaf(in.shift);
  auto y = group_norm_silu(x, c.groups, w, b, 1e-6, s, kernel);
  std::vector<at::Tensor> wrt{x, w, b};
  if (s.defined()) wrt.push_back(s);
  auto grads = torch::autograd::grad({y}, wrt, {in.dy.to(dtype)});
  std::vector<at::Tensor> out{y.detach()};
  for (auto& g : grads) out.push_back(g.to(at::kDouble));
  out[0] = out[0].to(at::kDouble);
  return out;
}

void expect_close(const at::Tensor& got, const at::Tensor& want, double tolerance, const std::string& what) {
  const double scale = want.abs().max().item<double>() + 1e-12;
  const double error = (got - want).abs().max().item<double>();
  EXPECT_LT(error / scale, tolerance) << what << ": max error " << error << " at scale " << scale;
}

class FusedGroupNormSilu : public ::testing::TestWithParam<GroupNormSiluKernel> {
 protected:
  void SetUp() override {
    if (!group_norm_silu_kernel_available(GetParam()))
      GTEST_SKIP() << "this processor or build lacks the kernel; the others are tested";
  }
};

const char* kNames[] = {"y", "dx", "dweight", "dbias", "dshift"};

}  // namespace

TEST_P(FusedGroupNormSilu, MatchesAtenInDoublePrecision) {
  for (const auto& c : kCases) {
    for (bool channels_last : {false, true}) {
      if (channels_last && c.shape.size() != 4) continue;
      SCOPED_TRACE(std::string(channels_last ? "channels-last" : "contiguous") + ", " + std::to_string(c.shape[1]) +
                   " channels");
      const auto in = inputs_of(c, 7);
      const auto truth = evaluate(c, in, GroupNormSiluKernel::aten, at::kDouble);
      const auto fused = evaluate(c, in, GetParam(), at::kFloat, channels_last);
      const auto aten_float = evaluate(c, in, GroupNormSiluKernel::aten, at::kFloat);
      ASSERT_EQ(fused.size(), truth.size());
      for (size_t i = 0; i < truth.size(); ++i) {
        // Within 4× ATen's own float32 error, and never beyond 1e-4 of the largest entry.
        const double scale = truth[i].abs().max().item<double>() + 1e-12;
        const double aten_error = (aten_float[i] - truth[i]).abs().max().item<double>() / scale;
        expect_close(fused[i], truth[i], std::max(4 * aten_error, 1e-5), kNames[i]);
        expect_close(fused[i], truth[i], 1e-4, kNames[i]);
      }
    }
  }
}

// A channels-last input gives a channels-last result and gradient (no copies into the U-Net's
// convolutions).
TEST_P(FusedGroupNormSilu, ChannelsLastKeepsItsLayout) {
  auto gen = make_generator(4);
  auto x = at::randn({2, 16, 6, 6}, gen).contiguous(at::MemoryFormat::ChannelsLast).requires_grad_();
  auto w = at::randn({16}, gen), b = at::randn({16}, gen);
  auto y = group_norm_silu(x, 4, w, b, 1e-6, at::randn({2, 16}, gen), GetParam());
  auto dx = torch::autograd::grad({y}, {x}, {at::randn(y.sizes(), gen)})[0];
  EXPECT_TRUE(y.is_contiguous(at::MemoryFormat::ChannelsLast));
  EXPECT_FALSE(y.is_contiguous());
  EXPECT_TRUE(dx.is_contiguous(at::MemoryFormat::ChannelsLast));
}

// SSM and ISM differentiate the input-gradient again (create_graph); that second derivative must
// be ATen's.
TEST_P(FusedGroupNormSilu, SecondDerivativesMatchAten) {
  const Case c{{2, 8, 4, 5}, 2, true, 0.0};
  const auto in = inputs_of(c, 3);
  auto second = [&](GroupNormSiluKernel kernel) {
    auto x = in.x.detach().requires_grad_(), w = in.weight.clone().requires_grad_(),
         s = in.shift.clone().requires_grad_();
    auto y = group_norm_silu(x.to(at::kFloat), c.groups, w.to(at::kFloat), in.bias.to(at::kFloat), 1e-6,
                             s.to(at::kFloat), kernel);
    auto dx = torch::autograd::grad({y}, {x}, {in.dy.to(at::kFloat)}, true, true)[0];
    return torch::autograd::grad({(dx * in.x.cos()).sum()}, {x, w, s});
  };
  const auto truth = second(GroupNormSiluKernel::aten), fused = second(GetParam());
  for (size_t i = 0; i < truth.size(); ++i) expect_close(fused[i], truth[i], 1e-4, "second derivative " + std::to_string(i));
}

TEST_P(FusedGroupNormSilu, NanStaysInItsGroup) {
  const Case c{{2, 8, 3, 3}, 2, false, 0.0};
  auto in = inputs_of(c, 5);
  auto x = in.x.to(at::kFloat);
  x[1][5][2][0] = std::nanf("");  // sample 1, group 1
  auto y = group_norm_silu(x, c.groups, in.weight.to(at::kFloat), in.bias.to(at::kFloat), 1e-6, {}, GetParam());
  EXPECT_TRUE(y[1].slice(0, 4, 8).isnan().all().item<bool>());
  EXPECT_FALSE(y[0].isnan().any().item<bool>());
  EXPECT_FALSE(y[1].slice(0, 0, 4).isnan().any().item<bool>());
}

TEST_P(FusedGroupNormSilu, NonContiguousInputGivesTheSameResult) {
  auto gen = make_generator(9);
  auto x = at::randn({6, 3, 5, 4}, gen).transpose(0, 1);  // (3, 6, 5, 4), not contiguous
  auto w = at::randn({6}, gen), b = at::randn({6}, gen);
  auto fused = group_norm_silu(x, 3, w, b, 1e-6, {}, GetParam());
  auto truth = group_norm_silu(x, 3, w, b, 1e-6, {}, GroupNormSiluKernel::aten);
  expect_close(fused, truth, 1e-5, "y");
}

TEST_P(FusedGroupNormSilu, RejectsMismatchedArguments) {
  auto x = at::randn({2, 6, 4});
  auto w = at::ones({6}), b = at::zeros({6});
  EXPECT_THROW(group_norm_silu(x, 4, w, b, 1e-6, {}, GetParam()), c10::Error);                  // 6 channels, 4 groups
  EXPECT_THROW(group_norm_silu(x, 3, at::ones({5}), b, 1e-6, {}, GetParam()), c10::Error);      // weight size
  EXPECT_THROW(group_norm_silu(x, 3, w, b, 1e-6, at::zeros({2, 5}), GetParam()), c10::Error);   // shift size
  EXPECT_THROW(group_norm_silu(x.to(at::kDouble), 3, w, b, 1e-6, {}, GetParam()), c10::Error);  // dtype
}

INSTANTIATE_TEST_SUITE_P(Kernels, FusedGroupNormSilu,
                         ::testing::Values(GroupNormSiluKernel::avx2, GroupNormSiluKernel::avx512),
                         [](const auto& info) { return info.param == GroupNormSiluKernel::avx2 ? "avx2" : "avx512"; });

// Double tensors (and any device but the CPU) take ATen's ops under `automatic`.
TEST(GroupNormSilu, AutomaticUsesAtenOutsideFloat32Cpu) {
  auto gen = make_generator(1);
  auto x = at::randn({2, 4, 3}, gen, at::kDouble);
  auto w = at::randn({4}, gen, at::kDouble), b = at::randn({4}, gen, at::kDouble);
  auto want = at::silu(at::group_norm(x, 2, w, b, 1e-6));
  EXPECT_TRUE(at::equal(group_norm_silu(x, 2, w, b, 1e-6), want));
}

// SCOREKIT_CPU_KERNEL picks the kernel for a whole process; a name it does not know is an error
// that names it, not a silent fallback.
TEST(GroupNormSilu, UnknownKernelNameIsAClearError) {
  const auto line = unet_step_with("SCOREKIT_CPU_KERNEL=avx3");
  EXPECT_NE(line.find("SCOREKIT_CPU_KERNEL=avx3: expected aten, avx2 or avx512"), std::string::npos) << line;
}
