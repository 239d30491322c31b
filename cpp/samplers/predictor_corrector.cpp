#include "samplers/predictor_corrector.hpp"

#include <cmath>
#include <tuple>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

PredictorCorrector::PredictorCorrector(const Json& spec) : TimeGridSampler(0) {
  SpecReader r(spec, "sampler 'pc'");
  steps_ = r.positive_integer("steps", 500);
  const auto predictor = r.choice("predictor", "reverse_diffusion", {"reverse_diffusion", "em", "none"});
  const auto corrector = r.choice("corrector", "langevin", {"langevin", "none"});
  snr_ = r.positive("snr", 0.16);
  corrector_steps_ = r.positive_integer("corrector_steps", 1);
  denoise_ = r.boolean("denoise", true);
  r.finish();
  if (predictor == "none" && corrector == "none") throw Error("sampler 'pc': predictor and corrector cannot both be 'none'");
  predictor_ = predictor == "em" ? Predictor::EulerMaruyama
               : predictor == "none" ? Predictor::None : Predictor::ReverseDiffusion;
  corrector_ = corrector == "none" ? Corrector::None : Corrector::Langevin;
}

Json PredictorCorrector::spec() const {
  const char* predictor = predictor_ == Predictor::EulerMaruyama ? "em"
                          : predictor_ == Predictor::None ? "none" : "reverse_diffusion";
  return {{"name", "pc"}, {"steps", steps_}, {"predictor", predictor},
          {"corrector", corrector_ == Corrector::None ? "none" : "langevin"},
          {"snr", snr_}, {"corrector_steps", corrector_steps_}, {"denoise", denoise_}};
}

std::pair<at::Tensor, at::Tensor> PredictorCorrector::langevin(ReverseProcess& reverse, const at::Tensor& x,
                                                                double t0, double t1, NoiseSource& noise) const {
  auto per_norm = [](const at::Tensor& v) { return v.reshape({v.size(0), -1}).norm(2, 1).mean(); };
  double a = 1;
  if (reverse.sde().is_affine()) {
    auto al = reverse.sde().marginal(at::tensor({t0, t1}, at::kDouble)).alpha;
    a = std::pow(al[0].item<double>() / al[1].item<double>(), 2);
  }
  auto s = reverse.score(x, t0);
  auto z = noise.normal(x.sizes(), x.options());
  auto ratio = snr_ * per_norm(z) / per_norm(s).clamp_min(1e-12);
  auto step = 2 * a * ratio * ratio;
  auto mean = x + step * s;
  return {mean, mean + (2 * step).sqrt() * z};
}

at::Tensor PredictorCorrector::update(ReverseProcess& reverse, const at::Tensor& x_in, double t0, double t1,
                                      bool last, NoiseSource& noise) {
  at::Tensor x = x_in, mean = x_in;
  if (corrector_ == Corrector::Langevin)
    for (int64_t j = 0; j < corrector_steps_; ++j) std::tie(mean, x) = langevin(reverse, x, t0, t1, noise);
  if (predictor_ != Predictor::None) {
    auto s = reverse.step(x, t0, t1, predictor_ == Predictor::EulerMaruyama ? ReverseNoise::EulerMaruyama
                                                                             : ReverseNoise::ReverseDiffusion);
    mean = s.mean;
    x = s.mean + s.noise_std * noise.normal(x.sizes(), x.options());
  }
  return (last && denoise_) ? mean : x;
}

}  // namespace scorekit
