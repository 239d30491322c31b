#pragma once
// The 2-D benchmark data of docs/nonlinear.md, shared by the bench programs: each coordinate
// ~ 0.3 N(−1.5, 0.3²) + 0.7 N(1.0, 0.4²) independently (four modes), as a 1-D density for the
// Fokker–Planck reference and as the equivalent 4-component mixture spec for training.
#include <cmath>

#include "util/spec.hpp"

namespace scorekit::bench {

inline constexpr double kWeights[2] = {0.3, 0.7}, kMeans[2] = {-1.5, 1.0}, kStds[2] = {0.3, 0.4};

// The density of one coordinate.
inline double product_mixture_pdf1(double x) {
  double p = 0;
  for (int k = 0; k < 2; ++k)
    p += kWeights[k] * std::exp(-0.5 * std::pow((x - kMeans[k]) / kStds[k], 2)) / (kStds[k] * std::sqrt(2 * M_PI));
  return p;
}

// {"name": "mixture", ...}: the product of two coordinates as four diagonal components.
inline Json product_mixture() {
  Json w = Json::array(), m = Json::array(), s = Json::array();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      w.push_back(kWeights[i] * kWeights[j]);
      m.push_back({kMeans[i], kMeans[j]});
      s.push_back({kStds[i], kStds[j]});
    }
  return {{"name", "mixture"}, {"weights", w}, {"means", m}, {"stds", s}};
}

}  // namespace scorekit::bench
