#include "data/toy2d.hpp"

#include <cmath>

#include "util/error.hpp"

namespace scorekit {

namespace {
using at::Tensor;
const auto kF = at::TensorOptions().dtype(at::kFloat);

Tensor uniform(int64_t n, at::Generator& g) { return at::rand({n}, g, kF); }
Tensor normal(at::IntArrayRef s, at::Generator& g) { return at::randn(s, g, kF); }

Tensor swissroll(int64_t n, at::Generator& g) {
  auto th = 1.5 * M_PI * (1 + 2 * uniform(n, g));
  return at::stack({th * at::cos(th), th * at::sin(th)}, 1) / 3.5;
}
Tensor moons(int64_t n, at::Generator& g) {
  auto th = M_PI * uniform(n, g);
  auto upper = at::bernoulli(at::full({n}, 0.5, kF), g);
  auto x = at::where(upper > 0, at::cos(th), 1 - at::cos(th));
  auto y = at::where(upper > 0, at::sin(th), 0.5 - at::sin(th));
  return at::stack({x - 0.5, y - 0.25}, 1) * 2;
}
Tensor eight_gaussians(int64_t n, at::Generator& g) {
  auto k = at::randint(8, {n}, g, at::TensorOptions().dtype(at::kLong)).to(at::kFloat);
  auto ang = k * (M_PI / 4);
  return at::stack({at::cos(ang), at::sin(ang)}, 1) * 2.5 + 0.2 * normal({n, 2}, g);
}
Tensor checkerboard(int64_t n, at::Generator& g) {
  auto x = uniform(n, g) * 4 - 2;
  auto row = at::randint(2, {n}, g, at::TensorOptions().dtype(at::kLong)).to(at::kFloat);
  auto y = uniform(n, g) - row * 2 + at::remainder(at::floor(x), 2);
  return at::stack({x, y}, 1) * 1.75;
}
Tensor rings(int64_t n, at::Generator& g) {
  auto r = (at::randint(4, {n}, g, at::TensorOptions().dtype(at::kLong)).to(at::kFloat) + 1) * 0.9;
  auto th = 2 * M_PI * uniform(n, g);
  return at::stack({r * at::cos(th), r * at::sin(th)}, 1) + 0.08 * normal({n, 2}, g);
}
Tensor pinwheel(int64_t n, at::Generator& g) {
  const int arms = 5;
  auto arm = at::randint(arms, {n}, g, at::TensorOptions().dtype(at::kLong)).to(at::kFloat);
  auto radial = 1 + 0.3 * normal({n}, g);
  auto tangential = 0.05 * normal({n}, g);
  auto ang = arm * (2 * M_PI / arms) + 0.25 * at::exp(radial);  // the arms curl with radius
  auto x = radial * at::cos(ang) - tangential * at::sin(ang);
  auto y = radial * at::sin(ang) + tangential * at::cos(ang);
  return at::stack({x, y}, 1) * 2;
}
Tensor two_spirals(int64_t n, at::Generator& g) {
  auto r = at::sqrt(uniform(n, g)) * 3 * M_PI;
  auto sign = at::bernoulli(at::full({n}, 0.5, kF), g) * 2 - 1;
  auto x = -at::cos(r) * r * sign;
  auto y = at::sin(r) * r * sign;
  return at::stack({x, y}, 1) / 2.5 + 0.1 * normal({n, 2}, g);
}
}  // namespace

std::vector<std::string> Toy2d::names() {
  return {"swissroll", "moons", "8gaussians", "checkerboard", "rings", "pinwheel", "2spirals"};
}

Toy2d::Toy2d(const Json& spec) {
  name_ = spec_name(spec, "data");
  SpecReader r(spec, "data '" + name_ + "'");
  noise_ = r.number("noise", 0.0);
  r.finish();
  if (noise_ < 0) throw Error("data '" + name_ + "': noise must be >= 0");
  bool known = false;
  for (const auto& k : names()) known |= (k == name_);
  if (!known) unknown_name("data set", name_, dataset_names());
}

Json Toy2d::spec() const { return {{"name", name_}, {"noise", noise_}}; }

at::Tensor Toy2d::sample(int64_t n, at::Generator& g) const {
  if (n <= 0) throw Error("data: the number of samples must be positive");
  Tensor x;
  if (name_ == "swissroll") x = swissroll(n, g);
  else if (name_ == "moons") x = moons(n, g);
  else if (name_ == "8gaussians") x = eight_gaussians(n, g);
  else if (name_ == "checkerboard") x = checkerboard(n, g);
  else if (name_ == "rings") x = rings(n, g);
  else if (name_ == "pinwheel") x = pinwheel(n, g);
  else x = two_spirals(n, g);
  if (noise_ > 0) x = x + noise_ * normal({n, 2}, g);
  return x;
}

}  // namespace scorekit
