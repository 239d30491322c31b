#include "samplers/predictor_corrector.hpp"

#include <torch/autograd.h>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

PredictorCorrector::PredictorCorrector(const Json& spec) {
  SpecReader r(spec, "sampler 'pc'");
  steps_ = r.positive_integer("steps", 500);
  predictor_ = r.choice("predictor", "reverse_diffusion", {"reverse_diffusion", "em", "none"});
  corrector_ = r.choice("corrector", "langevin", {"langevin", "none"});
  snr_ = r.positive("snr", 0.16);
  corrector_steps_ = r.positive_integer("corrector_steps", 1);
  denoise_ = r.boolean("denoise", true);
  r.finish();
  if (predictor_ == "none" && corrector_ == "none") throw Error("sampler 'pc': predictor and corrector cannot both be 'none'");
}

Json PredictorCorrector::spec() const {
  return {{"name", "pc"}, {"steps", steps_}, {"predictor", predictor_}, {"corrector", corrector_},
          {"snr", snr_}, {"corrector_steps", corrector_steps_}, {"denoise", denoise_}};
}

SampleOutput PredictorCorrector::sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                                        const ProgressFn& progress) {
  torch::NoGradGuard no_grad;
  const auto opts = at::TensorOptions().device(model.device());
  auto x = prior_batch(model, sde, n, gen);
  auto grid = time_grid(sde, steps_);
  auto per_norm = [](const at::Tensor& v) { return v.reshape({v.size(0), -1}).norm(2, 1).mean(); };
  SampleOutput out;
  at::Tensor mean = x;
  for (int64_t i = 0; i < steps_; ++i) {
    const double t0 = grid[i].item<double>(), t1 = grid[i + 1].item<double>(), dt = t0 - t1;
    auto t = at::full({n}, t0, opts);
    if (corrector_ == "langevin") {
      double a = 1;
      if (sde.is_affine()) {
        auto al = sde.marginal(at::tensor({t0, t1}, at::kDouble)).alpha;
        a = std::pow(al[0].item<double>() / al[1].item<double>(), 2);
      }
      for (int64_t j = 0; j < corrector_steps_; ++j) {
        auto s = model.score(x, t);
        ++out.nfe;
        auto z = randn(x.sizes(), gen, opts);
        auto ratio = snr_ * per_norm(z) / per_norm(s).clamp_min(1e-12);
        auto step = 2 * a * ratio * ratio;
        mean = x + step * s;
        x = mean + (2 * step).sqrt() * z;
      }
    }
    if (predictor_ != "none") {
      at::Tensor g2 = predictor_ == "em" ? sde.diffusion(t).pow(2) * dt
                                         : sde.g2_integral(at::full({n}, t1, opts), t);
      g2 = per_sample(g2, x);
      mean = x - (sde.drift(x, t) * dt - g2 * model.score(x, t));
      ++out.nfe;
      x = mean + g2.sqrt() * randn(x.sizes(), gen, opts);
    }
    report(progress, i + 1, steps_);
  }
  out.x = (denoise_ ? mean : x).cpu();
  return out;
}

}  // namespace scorekit
