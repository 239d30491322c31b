// The objective registry: names to constructors.
#include "objectives/dsm.hpp"

namespace scorekit {

std::vector<std::string> objective_names() { return {"dsm"}; }

ObjectivePtr make_objective(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "objective");
  if (name == "dsm") return std::make_shared<Dsm>(spec);
  unknown_name("objective", name, objective_names());
}

}  // namespace scorekit
