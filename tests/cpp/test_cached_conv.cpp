// cached_conv2d (oneDNN primitives kept per shape) against a float64 convolution by ATen: values,
// gradients, second-order gradients (create_graph), threads, and the cases it leaves to ATen.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "models/cached_conv.hpp"
#include "models/onednn_conv_engine.hpp"

using namespace scorekit;

namespace {

struct Case {
  int64_t in, out, side, kernel, stride;
  bool bias;
};

// Largest |a − b| over max(1, |b|_max): the float32 result against the float64 truth.
double relative_error(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kDouble) - b).abs().max().item<double>() / std::max(1.0, b.abs().max().item<double>());
}

void skip_unless_available() {
  if (!onednn_conv::available()) GTEST_SKIP() << "built without oneDNN 2 (libdnnl-dev): cached_conv2d is at::conv2d";
}

// Values and the gradients of a random projection of the output, both ways.
void check(const Case& c, int seed) {
  torch::manual_seed(seed);
  auto x = torch::randn({5, c.in, c.side, c.side + 1}).contiguous(at::MemoryFormat::ChannelsLast).requires_grad_();
  auto w = (torch::randn({c.out, c.in, c.kernel, c.kernel}) / std::sqrt(double(c.in * c.kernel * c.kernel))).requires_grad_();
  auto b = c.bias ? torch::randn({c.out}).requires_grad_() : at::Tensor();
  ASSERT_TRUE(cached_conv_applies(x, w));
  auto y = cached_conv2d(x, w, b, c.stride, c.kernel / 2);
  auto xd = x.detach().to(at::kDouble).requires_grad_(), wd = w.detach().to(at::kDouble).requires_grad_();
  auto bd = c.bias ? b.detach().to(at::kDouble).requires_grad_() : at::Tensor();
  auto truth = at::conv2d(xd, wd, bd, c.stride, c.kernel / 2);
  ASSERT_EQ(y.sizes(), truth.sizes());
  EXPECT_TRUE(y.is_contiguous(at::MemoryFormat::ChannelsLast));
  EXPECT_LT(relative_error(y, truth), 1e-5);
  auto g = torch::randn(truth.sizes(), at::kDouble);
  std::vector<at::Tensor> in = {x, w}, in_d = {xd, wd};
  if (c.bias) in.push_back(b), in_d.push_back(bd);
  auto grads = torch::autograd::grad({y}, in, {g.to(at::kFloat)});
  auto expected = torch::autograd::grad({truth}, in_d, {g});
  for (size_t i = 0; i < in.size(); ++i) EXPECT_LT(relative_error(grads[i], expected[i]), 1e-5) << "gradient " << i;
}

}  // namespace

TEST(CachedConv, ValuesAndGradientsMatchAFloat64Convolution) {
  skip_unless_available();
  // The U-Net's shapes (3×3, 1×1, stride 2, onto one channel, from one channel), odd sizes, no bias.
  const std::vector<Case> cases = {{16, 16, 12, 3, 1, true}, {32, 96, 7, 1, 1, true}, {16, 1, 9, 3, 1, true},
                                   {1, 16, 9, 3, 1, true},   {24, 24, 9, 3, 2, true}, {5, 7, 6, 3, 1, false}};
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    check(cases[i], 1 + int(i));
    check(cases[i], 100 + int(i));  // the same shape again: the kept primitives, fresh arrays
  }
}

TEST(CachedConv, SecondOrderGradientsMatchATen) {
  skip_unless_available();
  // ‖∂(g·y)/∂x‖² differentiated by the weights: the path SSM and ISM take through the model.
  torch::manual_seed(3);
  auto x = torch::randn({4, 8, 10, 10}).contiguous(at::MemoryFormat::ChannelsLast).requires_grad_();
  auto w = torch::randn({8, 8, 3, 3}).div_(8).requires_grad_(), b = torch::randn({8}).requires_grad_();
  auto g = torch::randn({4, 8, 10, 10});
  auto second = [&](const at::Tensor& y) {
    auto dx = torch::autograd::grad({y}, {x}, {g}, /*retain_graph=*/true, /*create_graph=*/true)[0];
    return torch::autograd::grad({dx.square().sum()}, {w})[0];
  };
  auto ours = second(cached_conv2d(x, w, b, 1, 1));
  auto aten = second(at::conv2d(x, w, b, 1, 1));
  EXPECT_GT(aten.abs().max().item<double>(), 0);
  EXPECT_TRUE(torch::allclose(ours, aten, 1e-4, 1e-4)) << (ours - aten).abs().max().item<double>();
}

TEST(CachedConv, ThreadsKeepTheirOwnPrimitives) {
  skip_unless_available();
  // Two threads on the same shapes at once, each checked against ATen.
  auto work = [](int seed, double* worst) {
    torch::manual_seed(seed);
    for (int i = 0; i < 20; ++i) {
      auto x = torch::randn({3, 16, 8, 8}).contiguous(at::MemoryFormat::ChannelsLast);
      auto w = torch::randn({16, 16, 3, 3}), b = torch::randn({16});
      torch::NoGradGuard no_grad;
      *worst = std::max(*worst, (cached_conv2d(x, w, b, 1, 1) - at::conv2d(x, w, b, 1, 1)).abs().max().item<double>());
    }
  };
  double a = 0, b = 0;
  std::thread t1(work, 1, &a), t2(work, 2, &b);
  t1.join(), t2.join();
  EXPECT_LT(a, 1e-4);
  EXPECT_LT(b, 1e-4);
}

TEST(CachedConv, OtherLayoutsTypesAndDevicesAreATensConvolution) {
  auto w = torch::randn({4, 3, 3, 3});
  auto contiguous = torch::randn({2, 3, 6, 6});
  EXPECT_FALSE(cached_conv_applies(contiguous, w));
  EXPECT_FALSE(cached_conv_applies(contiguous.to(at::kDouble).contiguous(at::MemoryFormat::ChannelsLast), w.to(at::kDouble)));
  EXPECT_FALSE(cached_conv_applies(contiguous.contiguous(at::MemoryFormat::ChannelsLast), torch::randn({4, 2, 3, 3})));
  auto y = cached_conv2d(contiguous, w, at::Tensor(), 1, 1);
  EXPECT_TRUE(torch::equal(y, at::conv2d(contiguous, w, at::Tensor(), 1, 1)));
  // A channel mismatch reaches ATen, whose error names it.
  EXPECT_THROW(cached_conv2d(contiguous.contiguous(at::MemoryFormat::ChannelsLast), torch::randn({4, 2, 3, 3}), at::Tensor(), 1, 1),
               c10::Error);
}

TEST(CachedConv, EverNewShapesKeepABoundedNumberOfPrimitives) {
  skip_unless_available();
  // 200 batch sizes, one after the other (an evaluation over ragged batches): every result still
  // right, and the thread keeps at most 64 forward primitives however many shapes it met.
  torch::NoGradGuard no_grad;
  const size_t before = onednn_conv::kept_primitives();  // other kinds, kept from earlier tests
  auto w = torch::randn({6, 4, 3, 3}), b = torch::randn({6});
  for (int64_t batch = 1; batch <= 200; ++batch) {
    auto x = torch::randn({batch, 4, 5, 5}).contiguous(at::MemoryFormat::ChannelsLast);
    ASSERT_TRUE(torch::allclose(cached_conv2d(x, w, b, 1, 1), at::conv2d(x, w, b, 1, 1), 1e-4, 1e-5)) << "batch " << batch;
  }
  EXPECT_GT(onednn_conv::kept_primitives(), 0u);
  EXPECT_LE(onednn_conv::kept_primitives(), before + 64);
  std::thread([] { EXPECT_EQ(onednn_conv::kept_primitives(), 0u); }).join();  // per thread
}
