#include "likelihood/likelihood.hpp"

#include <torch/autograd.h>

#include <cmath>

#include "samplers/dormand_prince.hpp"
#include "samplers/reverse_process.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {

// Models with weights take their weights' dtype; the weightless oracle gets the double state.
at::ScalarType model_dtype(ScoreModel& model) {
  auto ps = model.parameters();
  return ps.empty() ? at::kDouble : ps.front().scalar_type();
}

}  // namespace

NllResult negative_log_likelihood(ScoreModel& model, const Sde& sde, const at::Tensor& x_in, const Json& options,
                                  at::Generator& gen, const ProgressFn& progress) {
  SpecReader r(options, "likelihood options");
  const std::string divergence = r.choice("divergence", "exact", {"exact", "hutchinson"});
  const int64_t probes = r.positive_integer("probes", 1);
  const std::string noise = r.choice("noise", "rademacher", {"rademacher", "gaussian"});
  DormandPrinceOptions ode;
  ode.rtol = r.positive("rtol", 1e-5);
  ode.atol = r.positive("atol", 1e-5);
  ode.max_steps = r.positive_integer("max_steps", 100000);
  const bool dequantize = r.boolean("dequantize", false);
  r.finish();

  const auto want = model.sample_shape();
  if (x_in.dim() < 1 || x_in.size(0) == 0) throw Error("likelihood: the input holds no points");
  std::vector<int64_t> got(x_in.sizes().begin() + 1, x_in.sizes().end());
  if (got != want) {
    auto str = [](const std::vector<int64_t>& v) {
      std::string s = "(";
      for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
      return s + ")";
    };
    throw Error("likelihood: the input points have shape " + str(got) + " but the model expects " + str(want) +
                " (dimension mismatch between the model and the input)");
  }
  require_finite(x_in, "likelihood input");
  const int64_t B = x_in.size(0), D = x_in.numel() / B;

  auto x = x_in.to(at::kDouble).cpu();
  if (dequantize) {
    if ((x < 0).any().item<bool>() || (x > 255).any().item<bool>() || !(x == x.round()).all().item<bool>())
      throw Error("likelihood: dequantize expects 8-bit integer values in [0, 255]");
    x = 2 * (x + at::rand(x.sizes(), gen, on_generator(gen)).to(at::kCPU, at::kDouble)) / 256 - 1;
  }

  const auto device = model.device();
  const auto mdtype = model_dtype(model);
  at::Tensor eps;  // Hutchinson probes (K, B, D), fixed along the path
  if (divergence == "hutchinson") {
    eps = noise == "gaussian" ? randn({probes, B, D}, gen, at::TensorOptions())
                              : rademacher({probes, B, D}, gen, at::TensorOptions());
    eps = eps.to(device, mdtype);
  }
  std::vector<int64_t> shape = want;
  shape.insert(shape.begin(), B);

  // State (B, D + 1) in double on the model's device: x_t flattened and the running ∫ ∇·v. Only
  // the step-size control reads a number back to the host, once per step.
  auto field = [&](double t, const at::Tensor& y) {
    torch::AutoGradMode grad_on(true);
    auto xt = y.slice(1, 0, D).to(mdtype).reshape(shape).detach().requires_grad_(true);
    auto v = probability_flow(model, sde, xt, at::full({B}, t, at::TensorOptions().device(device))).reshape({B, D});
    at::Tensor div = at::zeros({B}, v.options());
    if (divergence == "exact") {
      for (int64_t i = 0; i < D; ++i) {
        auto g = torch::autograd::grad({v.select(1, i).sum()}, {xt}, {}, /*retain_graph=*/true)[0];
        div = div + g.reshape({B, D}).select(1, i);
      }
    } else {
      for (int64_t k = 0; k < probes; ++k) {
        auto g = torch::autograd::grad({v}, {xt}, {eps[k]}, /*retain_graph=*/true)[0];
        div = div + (g.reshape({B, D}) * eps[k]).sum(1);
      }
      div = div / probes;
    }
    return at::cat({v.detach(), div.detach().unsqueeze(1)}, 1).to(at::kDouble);
  };
  auto y0 = at::cat({x.reshape({B, D}), at::zeros({B, 1}, at::kDouble)}, 1).to(device);
  auto sol = dormand_prince(field, y0, sde.eps(), sde.T(), ode, progress);
  // The end point comes back once: priors' densities (tabulated for nonlinear SDEs) live on the CPU.
  auto yT = sol.y.cpu();
  auto xT = yT.slice(1, 0, D).reshape(shape);
  auto logp = sde.prior_log_prob(xT).to(at::kDouble) + yT.select(1, D);

  NllResult out;
  out.nll = -logp;
  if (dequantize) out.nll = out.nll + D * std::log(128.0);
  out.mean_nats = out.nll.mean().item<double>();
  out.bits_per_dim = out.mean_nats / (D * std::log(2.0));
  out.nfe = sol.nfe;
  return out;
}

}  // namespace scorekit
