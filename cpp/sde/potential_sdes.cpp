#include "sde/potential_sdes.hpp"

#include "sde/langevin_sde.hpp"
#include "sde/priors/quartic_prior.hpp"

namespace scorekit {

SdePtr make_cubic_sde(const Json& spec) {
  SpecReader r(spec, "sde 'cubic'");
  LangevinSde::Params d;
  d.beta_max = 5.0;
  d.steps = 200;
  auto p = read_langevin_params(r, d);
  const double a = r.number("a", 1.0);
  p.noise = r.positive("noise", 1.0);
  r.finish();
  auto prior = std::make_shared<QuarticPrior>(1.0 / (2 * p.noise), -a / p.noise);
  Json resolved = {{"name", "cubic"}, {"beta_min", p.beta_min}, {"beta_max", p.beta_max}, {"steps", p.steps},
                   {"eps", p.eps}, {"a", a}, {"noise", p.noise}};
  return std::make_shared<LangevinSde>("cubic", prior, p, resolved);
}

SdePtr make_double_well_sde(const Json& spec) {
  SpecReader r(spec, "sde 'double_well'");
  const double barrier = r.positive("barrier", 1.0);
  const double kT = r.positive("temperature", 1.0);
  const double rate = r.positive("rate", 5.0);
  LangevinSde::Params p;
  p.beta_min = p.beta_max = rate;
  p.noise = 2 * kT;
  p.steps = r.positive_integer("steps", 500);
  p.eps = r.positive("eps", 1e-3);
  r.finish();
  auto prior = std::make_shared<QuarticPrior>(barrier / kT, -2 * barrier / kT);
  Json resolved = {{"name", "double_well"}, {"barrier", barrier}, {"temperature", kT}, {"rate", rate},
                   {"steps", p.steps}, {"eps", p.eps}};
  return std::make_shared<LangevinSde>("double_well", prior, p, resolved);
}

}  // namespace scorekit
