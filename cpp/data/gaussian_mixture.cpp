#include "data/gaussian_mixture.hpp"

#include <cmath>
#include <fstream>

#include "util/error.hpp"

namespace scorekit {

namespace {
const auto kD = at::TensorOptions().dtype(at::kDouble);

at::Tensor matrix(const Json& j, const char* key, int64_t K) {
  if (!j.is_array() || static_cast<int64_t>(j.size()) != K)
    throw Error(std::string("mixture: '") + key + "' must be an array of " + std::to_string(K) + " rows");
  std::vector<std::vector<double>> rows;
  for (const auto& row : j) {
    if (row.is_number()) { rows.push_back({row.get<double>()}); continue; }
    if (!row.is_array() || row.empty()) throw Error(std::string("mixture: each row of '") + key + "' must be a non-empty array of numbers");
    std::vector<double> r;
    for (const auto& v : row) {
      if (!v.is_number()) throw Error(std::string("mixture: '") + key + "' holds a non-number: " + v.dump());
      r.push_back(v.get<double>());
    }
    rows.push_back(r);
  }
  const int64_t d = rows[0].size();
  auto out = at::empty({K, d}, kD);
  for (int64_t k = 0; k < K; ++k) {
    if (static_cast<int64_t>(rows[k].size()) != d) throw Error(std::string("mixture: rows of '") + key + "' differ in length");
    for (int64_t i = 0; i < d; ++i) out[k][i] = rows[k][i];
  }
  return out;
}
}  // namespace

GaussianMixture::GaussianMixture(const Json& spec) {
  SpecReader r(spec, "mixture");
  r.ignore("path");
  const Json& w = r.raw("weights");
  const Json& m = r.raw("means");
  const Json& s = r.raw("stds");
  r.finish();
  if (!w.is_array() || w.empty()) throw Error("mixture: 'weights' must be a non-empty array");
  const int64_t K = w.size();
  weights_ = at::empty({K}, kD);
  for (int64_t k = 0; k < K; ++k) {
    if (!w[k].is_number() || !(w[k].get<double>() > 0) || !std::isfinite(w[k].get<double>()))
      throw Error("mixture: weights must be positive finite numbers");
    weights_[k] = w[k].get<double>();
  }
  weights_ = weights_ / weights_.sum();
  means_ = matrix(m, "means", K);
  stds_ = matrix(s, "stds", K);
  if (stds_.size(1) == 1) stds_ = stds_.expand({K, means_.size(1)}).contiguous();
  if (stds_.size(1) != means_.size(1)) throw Error("mixture: 'stds' and 'means' differ in dimension");
  if (!at::isfinite(means_).all().item<bool>()) throw Error("mixture: means contain NaN or Inf");
  if (!(stds_ > 0).all().item<bool>() || !at::isfinite(stds_).all().item<bool>())
    throw Error("mixture: stds must be positive finite numbers");
  source_ = {{"name", "mixture"}, {"weights", w}, {"means", m}, {"stds", s}};
}

GaussianMixture GaussianMixture::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError("mixture: cannot open '" + path + "'");
  Json j;
  try {
    j = Json::parse(in);
  } catch (const std::exception& e) {
    throw Error("mixture: '" + path + "' is not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw Error("mixture: '" + path + "' must hold a JSON object with weights, means and stds");
  return GaussianMixture(j);
}

Json GaussianMixture::spec() const { return source_; }

at::Tensor GaussianMixture::sample(int64_t n, at::Generator& gen) const {
  if (n <= 0) throw Error("mixture: the number of samples must be positive");
  auto k = at::multinomial(weights_.to(at::kFloat), n, true, gen);
  auto z = at::randn({n, means_.size(1)}, gen, at::TensorOptions().dtype(at::kFloat)).to(at::kDouble);
  return (means_.index_select(0, k) + stds_.index_select(0, k) * z).to(at::kFloat);
}

at::Tensor GaussianMixture::component_log_probs(const at::Tensor& x, const at::Tensor& alpha,
                                                const at::Tensor& sigma, at::Tensor* diff_out,
                                                at::Tensor* var_out) const {
  if (x.dim() != 2 || x.size(1) != means_.size(1))
    throw Error("mixture: points must have shape (B, " + std::to_string(means_.size(1)) + ")");
  auto xd = x.to(at::kDouble).cpu();
  auto a = alpha.to(at::kDouble).cpu().reshape({-1, 1, 1});
  auto s = sigma.to(at::kDouble).cpu().reshape({-1, 1, 1});
  auto var = a * a * stds_.unsqueeze(0).pow(2) + s * s;        // (B, K, d)
  auto diff = xd.unsqueeze(1) - a * means_.unsqueeze(0);        // (B, K, d)
  auto lp = -0.5 * (diff * diff / var + at::log(2 * M_PI * var)).sum(2) + at::log(weights_).unsqueeze(0);
  if (diff_out) *diff_out = diff;
  if (var_out) *var_out = var;
  return lp;  // (B, K)
}

at::Tensor GaussianMixture::log_prob(const at::Tensor& x, const at::Tensor& alpha, const at::Tensor& sigma) const {
  return at::logsumexp(component_log_probs(x, alpha, sigma, nullptr, nullptr), 1).to(x.options());
}

at::Tensor GaussianMixture::score(const at::Tensor& x, const at::Tensor& alpha, const at::Tensor& sigma) const {
  at::Tensor diff, var;
  auto lp = component_log_probs(x, alpha, sigma, &diff, &var);
  auto resp = at::softmax(lp, 1).unsqueeze(2);                  // posterior over components
  return (-(resp * diff / var).sum(1)).to(x.options());
}

at::Tensor GaussianMixture::log_prob0(const at::Tensor& x) const {
  auto ones = at::ones({x.size(0)}, kD);
  return log_prob(x, ones, at::zeros({x.size(0)}, kD));
}

}  // namespace scorekit
