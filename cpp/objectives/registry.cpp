// The objective registry: names to constructors.
#include "objectives/dsm.hpp"
#include "objectives/fd_ssm.hpp"
#include "objectives/ism.hpp"
#include "objectives/ism_hutchinson.hpp"
#include "objectives/lcss.hpp"
#include "objectives/local_dsm.hpp"
#include "objectives/ssm.hpp"
#include "objectives/ssm_vr.hpp"
#include "objectives/stf.hpp"

namespace scorekit {

std::vector<std::string> objective_names() {
  return {"dsm", "ssm", "ssm_vr", "fd_ssm", "ism", "ism_hutchinson", "lcss", "stf", "local_dsm"};
}

namespace {
ObjectivePtr make_objective_without_time_sampling(const Json& spec) {
  const std::string name = spec_name(spec, "objective");
  if (name == "dsm") return std::make_shared<Dsm>(spec);
  if (name == "ssm") return std::make_shared<Ssm>(spec);
  if (name == "ssm_vr") return std::make_shared<SsmVr>(spec);
  if (name == "fd_ssm") return std::make_shared<FdSsm>(spec);
  if (name == "ism") return std::make_shared<Ism>(spec);
  if (name == "ism_hutchinson") return std::make_shared<IsmHutchinson>(spec);
  if (name == "lcss") return std::make_shared<Lcss>(spec);
  if (name == "stf") return std::make_shared<Stf>(spec);
  if (name == "local_dsm") return std::make_shared<LocalDsm>(spec);
  unknown_name("objective", name, objective_names());
}
}  // namespace

// "time_sampling" belongs to every objective, so it is read here rather than by each constructor.
ObjectivePtr make_objective(const Json& spec_in) {
  Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  TimeSampling ts;
  if (spec.is_object() && spec.contains("time_sampling")) {
    ts = TimeSampling(spec["time_sampling"]);
    spec.erase("time_sampling");
  }
  auto objective = make_objective_without_time_sampling(spec);
  objective->set_time_sampling(ts);
  return objective;
}

}  // namespace scorekit
