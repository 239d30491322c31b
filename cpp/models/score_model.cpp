#include "models/score_model.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Parameterisation parse_parameterisation(const std::string& name) {
  if (name == "score") return Parameterisation::Score;
  if (name == "noise") return Parameterisation::Noise;
  if (name == "scaled") return Parameterisation::Scaled;
  unknown_name("parameterisation", name, {"score", "noise", "scaled"});
}

std::string to_string(Parameterisation p) {
  switch (p) {
    case Parameterisation::Score: return "score";
    case Parameterisation::Noise: return "noise";
    default: return "scaled";
  }
}

at::Device ScoreModel::device() const {
  auto ps = parameters();
  if (!ps.empty()) return ps.front().device();
  auto bs = buffers();
  return bs.empty() ? at::Device(at::kCPU) : bs.front().device();
}

at::Tensor ScoreModel::score(const at::Tensor& x, const at::Tensor& t) {
  if (x.size(0) != t.size(0)) throw Error("score: x and t disagree on the batch size");
  auto out = forward_raw(x, t);
  if (param_ == Parameterisation::Score) return out;
  // ε-prediction: score = -ε̂/σ_t; scaled: score = net/σ_t (Song et al.'s output scaling).
  auto sigma = per_sample(sde_->marginal(t).sigma.clamp_min(1e-5), x);
  return param_ == Parameterisation::Noise ? -out / sigma : out / sigma;
}

}  // namespace scorekit
