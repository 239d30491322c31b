#pragma once
// Nonlinear SDEs with quartic potentials, both Langevin toward π ∝ exp(−(q4 x⁴ + q2 x²)):
//  cubic:       f = −β(t)(x³ − a x), g² = c β(t), β linear in t like VP (defaults a = 1, c = 1,
//               β from 0.1 to 5 so that 200 Euler steps stay stable for |x| ≲ 4);
//               q4 = 1/(2c), q2 = −a/c.
//  double_well: overdamped Langevin in U(x) = h (x² − 1)² at temperature kT with rate γ:
//               dx = −γ U'(x) dt + √(2 γ kT) dW (constant β = γ, c = 2 kT); π ∝ exp(−U/kT).
#include "sde/sde.hpp"

namespace scorekit {

SdePtr make_cubic_sde(const Json& spec);
SdePtr make_double_well_sde(const Json& spec);

}  // namespace scorekit
