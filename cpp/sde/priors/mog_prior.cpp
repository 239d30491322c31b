#include "sde/priors/mog_prior.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

MogPrior::MogPrior(const Json& spec) {
  SpecReader r(spec, "prior 'mog'");
  auto list = [&](const std::string& key, std::vector<double> fallback) {
    if (!r.has(key)) return fallback;
    const Json& v = r.raw(key);
    if (!v.is_array() || v.empty()) throw Error("prior 'mog': '" + key + "' must be a non-empty list of numbers");
    return v.get<std::vector<double>>();
  };
  weights_ = list("weights", {0.5, 0.5});
  means_ = list("means", {-1.0, 1.0});
  stds_ = list("stds", {0.6, 0.6});
  r.finish();
  if (means_.size() != weights_.size() || stds_.size() != weights_.size())
    throw Error("prior 'mog': weights, means and stds must have the same length");
  double total = 0;
  for (size_t k = 0; k < weights_.size(); ++k) {
    if (!(weights_[k] > 0) || !(stds_[k] > 0)) throw Error("prior 'mog': weights and stds must be positive");
    total += weights_[k];
  }
  for (auto& w : weights_) w /= total;
}

Json MogPrior::spec() const { return {{"weights", weights_}, {"means", means_}, {"stds", stds_}}; }

at::Tensor MogPrior::column(const std::vector<double>& v, const at::Tensor& like) const {
  return at::tensor(v, at::TensorOptions().dtype(at::kDouble)).to(like.options());
}

at::Tensor MogPrior::component_log(const at::Tensor& x) const {
  auto mu = column(means_, x), sd = column(stds_, x), logw = column(weights_, x).log();
  auto z = (x.unsqueeze(-1) - mu) / sd;
  return logw - 0.5 * z * z - sd.log() - 0.5 * std::log(2 * M_PI);
}

at::Tensor MogPrior::sample(at::IntArrayRef shape, at::Generator& gen) const {
  int64_t n = 1;
  for (auto s : shape) n *= s;
  auto w = at::tensor(weights_, at::TensorOptions().dtype(at::kFloat));
  auto k = at::multinomial(w.to(gen.device()), n, true, gen).cpu();
  auto mu = at::tensor(means_, at::TensorOptions().dtype(at::kFloat)).index_select(0, k);
  auto sd = at::tensor(stds_, at::TensorOptions().dtype(at::kFloat)).index_select(0, k);
  auto z = at::randn({n}, gen, on_generator(gen)).cpu();
  return (mu + sd * z).reshape(shape);
}

at::Tensor MogPrior::log_density(const at::Tensor& x) const { return at::logsumexp(component_log(x), -1); }

at::Tensor MogPrior::score(const at::Tensor& x) const {
  auto r = at::softmax(component_log(x), -1);  // responsibilities
  auto mu = column(means_, x), var = column(stds_, x).pow(2);
  return (r * (-(x.unsqueeze(-1) - mu) / var)).sum(-1);
}

at::Tensor MogPrior::score_derivative(const at::Tensor& x) const {
  // ∂² log π = Σ_k r_k [((x − μ_k)/σ_k²)² − 1/σ_k²] − (∂ log π)²; positive between modes.
  auto r = at::softmax(component_log(x), -1);
  auto mu = column(means_, x), var = column(stds_, x).pow(2);
  auto u = -(x.unsqueeze(-1) - mu) / var;
  auto s = (r * u).sum(-1);
  return (r * (u * u - 1.0 / var)).sum(-1) - s * s;
}

}  // namespace scorekit
