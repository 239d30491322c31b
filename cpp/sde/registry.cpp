// The SDE registry: one place that maps names to constructors.
#include "sde/langevin_sde.hpp"
#include "sde/potential_sdes.hpp"
#include "sde/ve_sde.hpp"
#include "sde/vp_sde.hpp"

namespace scorekit {

std::vector<std::string> sde_names() { return {"ve", "vp", "subvp", "langevin_mog", "langevin_logistic", "cubic", "double_well"}; }

SdePtr make_sde(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "sde");
  if (name == "ve") return std::make_shared<VeSde>(spec);
  if (name == "vp") return std::make_shared<VpSde>(spec, false);
  if (name == "subvp") return std::make_shared<VpSde>(spec, true);
  if (name == "langevin_mog") return make_langevin_mog(spec);
  if (name == "langevin_logistic") return make_langevin_logistic(spec);
  if (name == "cubic") return make_cubic_sde(spec);
  if (name == "double_well") return make_double_well_sde(spec);
  unknown_name("sde", name, sde_names());
}

}  // namespace scorekit
