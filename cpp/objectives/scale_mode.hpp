#pragma once
// A length an objective sets relative to the noise or in absolute units: LCSS's smoothing width σ
// ("sigma_mode") and FD-SSM's radius ε ("eps_mode"). "relative" multiplies by the marginal std σ_t
// (affine SDEs only), "absolute" does not, "auto" is relative on affine SDEs and absolute on the
// others (which have no σ_t).
#include <string>
#include <vector>

#include "sde/sde.hpp"
#include "util/error.hpp"

namespace scorekit {

inline const std::vector<std::string>& scale_modes() {
  static const std::vector<std::string> modes = {"auto", "relative", "absolute"};
  return modes;
}

// True when the length scales with σ_t on `sde`; an explicit "relative" on a nonlinear SDE throws,
// naming the objective and its key (e.g. "lcss", "sigma_mode").
inline bool scale_is_relative(const std::string& mode, const Sde& sde, const std::string& objective,
                              const std::string& key) {
  if (mode == "auto") return sde.is_affine();
  if (mode == "relative" && !sde.is_affine())
    throw Error("objective '" + objective + "': " + key + " 'relative' needs the marginal std of an affine SDE; " +
                "use \"" + key + "\": \"absolute\" with '" + sde.name() + "', or leave it out");
  return mode == "relative";
}

}  // namespace scorekit
