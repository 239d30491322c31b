// The U-Net and the output parameterisations: shapes for several configurations, EDM's scalings
// and σ ↔ t map, and every parameterisation's score against a hand formula.
#include <gtest/gtest.h>

#include <cmath>

#include "expect.hpp"
#include "models/edm.hpp"
#include "models/unet.hpp"
#include "models/unet_blocks.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {
using sk_test::expect_error;

Json tiny(Json extra = Json::object()) {
  Json s = {{"name", "unet"}, {"channels", 8}, {"channel_mult", {1, 2}}, {"num_res_blocks", 1}};
  s.update(extra);
  return s;
}

// Gives the output layer random weights: the U-Net starts with a zero output by design, which
// would hide everything before it.
void randomise_output(ScoreModel& m) {
  torch::NoGradGuard no_grad;
  auto gen = make_generator(11);
  for (auto& p : m.named_parameters())
    if (p.key().rfind("conv_out.", 0) == 0) p.value().copy_(at::randn(p.value().sizes(), gen) * 0.1);
}

// A network with a fixed formula, to check ScoreModel's conversions by hand.
class FormulaModel : public ScoreModel {
 public:
  FormulaModel(SdePtr sde, Parameterisation p, std::function<at::Tensor(const at::Tensor&, const at::Tensor&)> f)
      : ScoreModel(std::move(sde), p), f_(std::move(f)) {}
  Json spec() const override { return {{"name", "formula"}}; }
  std::vector<int64_t> sample_shape() const override { return {3}; }
  at::Tensor last_conditioning;

 protected:
  at::Tensor forward_raw(const at::Tensor& x, const at::Tensor& t) override {
    last_conditioning = t;
    return f_(x, t);
  }

 private:
  std::function<at::Tensor(const at::Tensor&, const at::Tensor&)> f_;
};

}  // namespace

TEST(Unet, OutputHasTheInputShapeForSeveralConfigurations) {
  auto sde = make_sde(Json{{"name", "vp"}});
  struct Case { std::vector<int64_t> shape; Json extra; };
  std::vector<Case> cases = {
      {{1, 8, 8}, Json::object()},
      {{3, 16, 16}, {{"channel_mult", {1, 2, 2}}, {"num_res_blocks", 2}, {"attention_resolutions", {8, 4}}, {"embedding", "sinusoidal"}}},
      {{1, 28, 28}, {{"channel_mult", {1, 2, 1}}, {"attention_resolutions", Json::array()}, {"dropout", 0.1}}},
      {{2, 8, 12}, {{"channel_mult", {1}}, {"channels", 4}, {"parameterisation", "edm"}}},
  };
  for (const auto& c : cases) {
    auto model = make_model(tiny(c.extra), sde, c.shape);
    randomise_output(*model);
    std::vector<int64_t> batch = {3};
    batch.insert(batch.end(), c.shape.begin(), c.shape.end());
    auto x = at::randn(batch);
    auto s = model->score(x, at::full({3}, 0.5));
    EXPECT_EQ(s.sizes(), x.sizes()) << c.extra.dump();
    EXPECT_TRUE(s.isfinite().all().item<bool>()) << c.extra.dump();
    EXPECT_GT(s.abs().max().item<float>(), 0) << c.extra.dump();
  }
}

TEST(Unet, SamplesAreIndependentAndTimeMatters) {
  auto sde = make_sde(Json{{"name", "vp"}});
  auto model = make_model(tiny({{"attention_resolutions", {4}}}), sde, {1, 8, 8});
  model->eval();
  randomise_output(*model);
  auto x = at::randn({4, 1, 8, 8});
  auto t = at::tensor({0.1f, 0.4f, 0.7f, 0.9f});
  auto all = model->score(x, t);
  auto one = model->score(x.slice(0, 2, 3), t.slice(0, 2, 3));
  EXPECT_TRUE(at::allclose(all.slice(0, 2, 3), one, 1e-4, 1e-5));  // GroupNorm and attention stay per sample
  auto later = model->score(x, t + 0.05);
  EXPECT_GT((later - all).abs().max().item<float>(), 1e-4);
}

TEST(Unet, TheSpecRebuildsTheSameNetwork) {
  auto sde = make_sde(Json{{"name", "vp"}});
  auto a = make_model(tiny({{"seed", 5}}), sde, {1, 8, 8});
  auto b = make_model(a->spec(), sde, {1, 8, 8});
  auto c = make_model(tiny({{"seed", 6}}), sde, {1, 8, 8});
  auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  bool differs = false;
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_TRUE(pa[i].equal(pb[i]));
    differs |= !pa[i].equal(pc[i]);
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(a->spec()["attention_resolutions"], Json::array({4}));  // the lowest level by default
}

TEST(Unet, BadConfigurationsAreClearErrors) {
  auto sde = make_sde(Json{{"name", "vp"}});
  expect_error([&] { make_model(tiny({{"channel_mult", {1, 2, 2, 2}}}), sde, {1, 28, 28}); },
               {"cannot be halved 3 times", "divisible by 8"});
  expect_error([&] { make_model(tiny({{"attention_resolutions", {5}}}), sde, {1, 8, 8}); },
               {"attention resolution 5", "[8, 4]"});
  expect_error([&] { make_model(tiny(), sde, {64}); }, {"unet", "(N, C, H, W)"});
  expect_error([&] { make_model(tiny({{"width", 3}}), sde, {1, 8, 8}); }, {"width", "channel_mult"});
  expect_error([&] { make_model(tiny({{"parameterisation", "x0"}}), sde, {1, 8, 8}); }, {"x0", "edm"});
  auto model = make_model(tiny(), sde, {1, 8, 8});
  expect_error([&] { model->score(at::randn({2, 1, 8, 9}), at::full({2}, 0.5)); }, {"(B, 1, 8, 8)"});
}

// Each pixel becomes a 2×2 block (checked against index arithmetic), and the gradient of a block
// sums its four entries; the gradient is itself differentiable (SSM and ISM take it with create_graph).
TEST(Unet, Upsample2xRepeatsPixelsAndItsGradientSumsBlocks) {
  auto gen = make_generator(3);
  auto x = at::randn({2, 3, 4, 5}, gen, at::kDouble).requires_grad_();
  auto y = upsample2x(x);
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{2, 3, 8, 10}));
  for (int64_t i = 0; i < 8; ++i)
    for (int64_t j = 0; j < 10; ++j)
      EXPECT_TRUE(at::equal(y.select(2, i).select(2, j), x.select(2, i / 2).select(2, j / 2)));
  auto g = at::randn(y.sizes(), gen, at::kDouble).requires_grad_();
  auto dx = torch::autograd::grad({y}, {x}, {g}, true, true)[0];
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 5; ++j) {
      auto block = g.slice(2, 2 * i, 2 * i + 2).slice(3, 2 * j, 2 * j + 2).sum({2, 3});
      EXPECT_TRUE(at::allclose(dx.select(2, i).select(2, j), block));
    }
  auto second = torch::autograd::grad({(dx * dx).sum()}, {g})[0];  // d/dg Σ dx² = 2·dx repeated
  EXPECT_TRUE(at::allclose(second, 2 * upsample2x(dx.detach())));
}

// On the CPU the float32 U-Net runs channels-last with the fused kernels; the same network in
// double precision takes ATen's ops. Outputs and parameter gradients must agree to float precision,
// and the output comes back in the usual contiguous layout.
TEST(Unet, ChannelsLastFloatMatchesDoublePrecision) {
  auto sde = make_sde(Json{{"name", "vp"}});
  auto model = make_model(tiny({{"channels", 16}, {"channel_mult", {1, 2, 2}}, {"attention_resolutions", {4}}}), sde,
                          {1, 16, 16});
  randomise_output(*model);
  auto gen = make_generator(8);
  auto x = at::randn({3, 1, 16, 16}, gen);
  auto t = at::tensor({0.2f, 0.5f, 0.8f});
  auto run = [&](at::ScalarType dtype) {
    model->to(dtype);
    model->zero_grad();
    auto s = model->score(x.to(dtype), t.to(dtype));
    (s * s).sum().backward();
    std::vector<at::Tensor> out{s.detach().to(at::kDouble)};
    for (auto& p : model->parameters()) out.push_back(p.grad().to(at::kDouble));
    return out;
  };
  const auto single = run(at::kFloat), truth = run(at::kDouble);
  model->to(at::kFloat);
  EXPECT_TRUE(single[0].is_contiguous());
  for (size_t i = 0; i < truth.size(); ++i) {
    const double scale = truth[i].abs().max().item<double>() + 1e-12;
    EXPECT_LT((single[i] - truth[i]).abs().max().item<double>() / scale, 1e-4) << (i ? "gradient " : "score ") << i;
  }
}

// Attention against its formula written out per sample with einsum, in double precision, for a
// contiguous and a channels-last input (the block takes its q, k, v as views of either layout).
TEST(Unet, AttentionMatchesItsFormulaInEitherLayout) {
  AttentionBlock block(8);
  block.to(at::kDouble);
  auto gen = make_generator(12);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : block.parameters()) p.copy_(at::randn(p.sizes(), gen, at::kDouble) * 0.3);  // proj starts at zero
  }
  auto x = at::randn({2, 8, 3, 5}, gen, at::kDouble);
  auto params = block.named_parameters();
  auto conv1x1 = [&](const std::string& name, const at::Tensor& in) {
    return at::einsum("oc,bchw->bohw", {params[name + ".weight"].flatten(1), in}) +
           params[name + ".bias"].reshape({1, -1, 1, 1});
  };
  auto normed = at::group_norm(x, 2, params["norm.weight"], params["norm.bias"], 1e-6);
  auto qkv = conv1x1("qkv", normed).flatten(2);  // (B, 3C, HW)
  auto q = qkv.slice(1, 0, 8), k = qkv.slice(1, 8, 16), v = qkv.slice(1, 16, 24);
  auto weights = at::softmax(at::einsum("bci,bcj->bij", {q, k}) / std::sqrt(8.0), -1);
  auto out = at::einsum("bij,bcj->bci", {weights, v}).reshape(x.sizes());
  auto want = (x + conv1x1("proj", out)) / std::sqrt(2.0);
  for (bool channels_last : {false, true}) {
    auto input = channels_last ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
    EXPECT_TRUE(at::allclose(block.forward(input), want, 1e-10, 1e-12)) << (channels_last ? "channels-last" : "contiguous");
  }
}

// A residual block is (skip(x) + h) / √2 with h its two normalise-activate-convolve stages and the
// time embedding's shift between them: values and gradients, in either layout, with a 1×1 skip
// convolution and with the identity.
TEST(Unet, ResBlockMatchesItsFormulaInEitherLayout) {
  for (int64_t in : {6, 8}) {  // with a 1×1 skip convolution, and with the identity
    ResBlock block(in, 8, 5, 0.0, nullptr);
    block.to(at::kDouble);
    auto gen = make_generator(13);
    {
      torch::NoGradGuard no_grad;
      for (auto& p : block.parameters()) p.copy_(at::randn(p.sizes(), gen, at::kDouble) * 0.3);  // conv2 starts at zero
    }
    const auto x = at::randn({2, in, 4, 5}, gen, at::kDouble), emb = at::randn({2, 5}, gen, at::kDouble);
    auto params = block.named_parameters();
    auto conv3x3 = [&](const std::string& name, const at::Tensor& v) {
      return at::conv2d(v, params[name + ".weight"], params[name + ".bias"], 1, 1);
    };
    const int64_t groups_in = group_norm(in)->options.num_groups();  // 1 for 6 channels, 2 for 8
    auto h = conv3x3("conv1", at::silu(at::group_norm(x, groups_in, params["norm1.weight"], params["norm1.bias"], 1e-6)));
    h = h + at::linear(at::silu(emb), params["emb_proj.weight"], params["emb_proj.bias"]).reshape({2, 8, 1, 1});
    h = conv3x3("conv2", at::silu(at::group_norm(h, 2, params["norm2.weight"], params["norm2.bias"], 1e-6)));
    auto skip = in == 8 ? x
                        : at::einsum("oc,bchw->bohw", {params["skip.weight"].flatten(1), x}) +
                              params["skip.bias"].reshape({1, -1, 1, 1});
    const auto want = (skip + h) / std::sqrt(2.0);
    const auto weights = at::randn(want.sizes(), gen, at::kDouble);  // a loss Σ weights·out, for gradients
    const auto want_grads = torch::autograd::grad({(want * weights).sum()}, block.parameters());
    for (bool channels_last : {false, true}) {
      const auto input = channels_last ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
      const auto out = block.forward(input, emb);
      const std::string where = std::string(channels_last ? "channels-last" : "contiguous") + ", " +
                                std::to_string(in) + " channels in";
      EXPECT_TRUE(at::allclose(out, want, 1e-10, 1e-12)) << where;
      const auto grads = torch::autograd::grad({(out * weights).sum()}, block.parameters());
      for (size_t i = 0; i < grads.size(); ++i)
        EXPECT_TRUE(at::allclose(grads[i], want_grads[i], 1e-9, 1e-11)) << where << ", parameter " << i;
    }
  }
}

TEST(Unet, UnknownChannelsLastSettingIsAClearError) {
  const auto line = unet_step_with("SCOREKIT_CHANNELS_LAST=yes");
  EXPECT_NE(line.find("SCOREKIT_CHANNELS_LAST=yes: expected 0 or 1"), std::string::npos) << line;
}

TEST(Edm, ScalingsSatisfyTheirIdentities) {
  const double sd = 0.5;
  auto sigma = at::tensor({1e-3, 0.1, 0.5, 2.0, 80.0}, at::kDouble);
  auto c = edm_scalings(sigma, sd);
  // Unit-variance training target: c_skip + (c_out / σ_d)² = 1; unit-variance input: c_in² (σ² + σ_d²) = 1.
  EXPECT_TRUE(at::allclose(c.c_skip + (c.c_out / sd).pow(2), at::ones_like(sigma)));
  EXPECT_TRUE(at::allclose(c.c_in.pow(2) * (sigma.pow(2) + sd * sd), at::ones_like(sigma)));
  EXPECT_TRUE(at::allclose(c.c_out, sigma * sd * c.c_in));
  EXPECT_TRUE(at::allclose(c.c_noise, sigma.log() / 4));
  // Small σ: D is nearly the identity; large σ: D ignores x̃ and c_out tends to σ_d.
  EXPECT_NEAR(c.c_skip[0].item<double>(), 1.0, 1e-5);
  EXPECT_NEAR(c.c_out[0].item<double>(), 1e-3, 1e-5);
  EXPECT_NEAR(c.c_skip[4].item<double>(), 0.0, 1e-4);
  EXPECT_NEAR(c.c_out[4].item<double>(), sd, 1e-4);
  EXPECT_DOUBLE_EQ(c.c_skip[2].item<double>(), 0.5);  // σ = σ_d splits the skip evenly
}

TEST(Edm, SigmaOfTimeMatchesTheClosedFormsAndInverts) {
  auto t = at::tensor({1e-3, 0.05, 0.3, 0.6, 1.0}, at::kDouble);
  auto vp = make_sde(Json{{"name", "vp"}, {"beta_min", 0.1}, {"beta_max", 20}});
  // VP: α² = exp(−∫β), s² = 1 − α², so σ = s/α = √(exp(∫β) − 1) with ∫β = β_min t + (β_max − β_min) t²/2.
  auto integral = 0.1 * t + 19.9 * t * t / 2;
  EXPECT_TRUE(at::allclose(edm_sigma(*vp, t), (integral.exp() - 1).sqrt(), 1e-6, 1e-9));
  auto ve = make_sde(Json{{"name", "ve"}, {"sigma_min", 0.01}, {"sigma_max", 50}});
  // VE: α = 1, σ² = σ_min² (σ_max/σ_min)^{2t} − σ_min².
  auto ve_sigma = (0.01 * 0.01 * at::pow(5000.0, 2 * t) - 1e-4).sqrt();
  EXPECT_TRUE(at::allclose(edm_sigma(*ve, t), ve_sigma, 1e-6, 1e-9));
  for (const auto& sde : {vp, ve, make_sde(Json{{"name", "subvp"}})}) {
    auto back = edm_time(*sde, edm_sigma(*sde, t));
    EXPECT_TRUE(at::allclose(back, t, 0, 1e-9)) << sde->name() << ": " << back;
  }
  EXPECT_NEAR(edm_time(*vp, at::tensor({1e9}, at::kDouble)).item<double>(), 1.0, 1e-9);  // beyond σ(T) → T
}

TEST(Parameterisations, EachGivesTheExactScoreOfGaussianDataFromItsOptimalOutput) {
  // Data x0 ~ N(0, v I): p_t = N(0, (α² v + s²) I), so ∇ log p_t(x) = −x / (α² v + s²). Each
  // parameterisation is fed its own optimal output; ScoreModel must turn it into that score.
  const double v = 0.25;  // = σ_d², so EDM's optimal F is exactly 0
  auto sde = make_sde(Json{{"name", "vp"}});
  auto x = at::randn({4, 3});
  auto t = at::tensor({0.02f, 0.2f, 0.5f, 0.95f});
  auto m = sde->marginal(t);
  auto alpha = per_sample(m.alpha, x), s = per_sample(m.sigma, x);
  auto var = alpha * alpha * v + s * s;
  auto truth = -x / var;
  FormulaModel score(sde, Parameterisation::Score, [&](const at::Tensor& xx, const at::Tensor&) { return -xx / var; });
  FormulaModel noise(sde, Parameterisation::Noise, [&](const at::Tensor& xx, const at::Tensor&) { return s * xx / var; });
  FormulaModel scaled(sde, Parameterisation::Scaled, [&](const at::Tensor& xx, const at::Tensor&) { return -s * xx / var; });
  FormulaModel edm(sde, Parameterisation::Edm, [&](const at::Tensor& xx, const at::Tensor&) { return at::zeros_like(xx); });
  std::vector<std::pair<const char*, FormulaModel*>> models = {{"score", &score}, {"noise", &noise}, {"scaled", &scaled}, {"edm", &edm}};
  for (auto& [name, model] : models) EXPECT_TRUE(at::allclose(model->score(x, t), truth, 1e-4, 1e-5)) << name;
  // EDM conditions the network on c_noise = ln(σ)/4, not on t.
  EXPECT_TRUE(at::allclose(edm.last_conditioning, (m.sigma / m.alpha).log() / 4));
  EXPECT_TRUE(score.last_conditioning.equal(t));

  // A non-zero F: D = c_skip x̃ + c_out F, score = (D − x̃)/(α σ²), written out by hand.
  FormulaModel edm2(sde, Parameterisation::Edm, [&](const at::Tensor& xx, const at::Tensor&) { return 0.3 * xx + 0.1; });
  auto sigma = s / alpha, xt = x / alpha;
  const double sd2 = 0.25;
  auto c_in = 1 / (sigma * sigma + sd2).sqrt();
  auto d = sd2 / (sigma * sigma + sd2) * xt + sigma * 0.5 * c_in * (0.3 * c_in * xt + 0.1);
  EXPECT_TRUE(at::allclose(edm2.score(x, t), (d - xt) / (alpha * sigma * sigma), 1e-4, 1e-5));
}

TEST(Parameterisations, AnUntrainedEdmUnetIsTheGaussianScore) {
  // The U-Net's output layer starts at zero, so under EDM its denoiser is D = c_skip x̃: the
  // optimal denoiser for N(0, σ_d²) data, whose score is −x / (α² σ_d² + s²).
  for (const char* name : {"vp", "ve", "subvp", "edm"}) {
    auto sde = make_sde(Json{{"name", name}});
    auto model = make_model(tiny({{"parameterisation", "edm"}, {"sigma_data", 0.5}}), sde, {1, 8, 8});
    auto x = at::randn({3, 1, 8, 8});
    auto t = at::tensor({0.01f, 0.5f, 1.0f});
    auto m = sde->marginal(t);
    auto var = per_sample(m.alpha * m.alpha * 0.25 + m.sigma * m.sigma, x);
    EXPECT_TRUE(at::allclose(model->score(x, t), -x / var, 1e-4, 1e-5)) << name;
  }
}
