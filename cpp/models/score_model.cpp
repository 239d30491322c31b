#include "models/score_model.hpp"

#include "models/edm.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Parameterisation parse_parameterisation(const std::string& name) {
  if (name == "score") return Parameterisation::Score;
  if (name == "noise") return Parameterisation::Noise;
  if (name == "scaled") return Parameterisation::Scaled;
  if (name == "edm") return Parameterisation::Edm;
  unknown_name("parameterisation", name, {"score", "noise", "scaled", "edm"});
}

std::string to_string(Parameterisation p) {
  switch (p) {
    case Parameterisation::Score: return "score";
    case Parameterisation::Noise: return "noise";
    case Parameterisation::Edm: return "edm";
    default: return "scaled";
  }
}

at::Device ScoreModel::device() const {
  auto ps = parameters();
  if (!ps.empty()) return ps.front().device();
  auto bs = buffers();
  return bs.empty() ? at::Device(at::kCPU) : bs.front().device();
}

at::Tensor ScoreModel::score(const at::Tensor& x, const at::Tensor& t, int64_t copies) {
  if (x.size(0) != t.size(0)) throw Error("score: x and t disagree on the batch size");
  if (copies < 1 || x.size(0) % copies != 0)
    throw Error("score: a batch of " + std::to_string(x.size(0)) + " rows cannot be " + std::to_string(copies) + " copies");
  struct RestoreCopies {
    DropoutDraws& draws;
    int64_t previous;
    ~RestoreCopies() { draws.copies = previous; }
  } restore{*dropout_draws_, dropout_draws_->copies};
  dropout_draws_->copies = copies;
  if (x.scalar_type() == at::kDouble && trainable()) {
    // A network computes in its weights' dtype: float64 inputs are cast in and the score cast back.
    const auto params = parameters();
    const auto dtype = params.empty() ? at::kDouble : params.front().scalar_type();
    if (dtype != at::kDouble) return score(x.to(dtype), t.to(dtype), copies).to(at::kDouble);
  }
  if (param_ == Parameterisation::Edm) {
    // Work in EDM's σ-scaled space x̃ = x/α (models/edm.hpp), then map the score back by 1/α.
    auto m = sde_->marginal(t);
    auto sigma = (m.sigma.clamp_min(1e-5) / m.alpha);
    auto c = edm_scalings(sigma, sigma_data_);
    auto alpha = per_sample(m.alpha, x);
    auto xt = x / alpha;
    auto c_in = per_sample(c.c_in, x);
    auto f = forward_raw(c_in * xt, c.c_noise);
    // (D − x̃)/σ² expanded, since c_skip − 1 = −σ² c_in² and c_out/σ² = σ_d c_in/σ: forming D − x̃
    // directly would cancel catastrophically in float32 at small σ.
    return (-c_in * c_in * xt + sigma_data_ * c_in / per_sample(sigma, x) * f) / alpha;
  }
  auto out = forward_raw(x, t);
  if (param_ == Parameterisation::Score) return out;
  // ε-prediction: score = -ε̂/σ_t; scaled: score = net/σ_t (Song et al.'s output scaling).
  auto sigma = per_sample(sde_->marginal(t).sigma.clamp_min(1e-5), x);
  return param_ == Parameterisation::Noise ? -out / sigma : out / sigma;
}

}  // namespace scorekit
