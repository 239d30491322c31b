// The SDE registry: one place that maps names to constructors.
#include "sde/ve_sde.hpp"
#include "sde/vp_sde.hpp"

namespace scorekit {

std::vector<std::string> sde_names() { return {"ve", "vp", "subvp"}; }

SdePtr make_sde(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "sde");
  if (name == "ve") return std::make_shared<VeSde>(spec);
  if (name == "vp") return std::make_shared<VpSde>(spec, false);
  if (name == "subvp") return std::make_shared<VpSde>(spec, true);
  unknown_name("sde", name, sde_names());
}

}  // namespace scorekit
