// The objective registry: names to constructors, summaries and the SDEs each accepts.
#include "objectives/registry.hpp"

#include <cstdio>

#include "objectives/dsm.hpp"
#include "objectives/fd_ssm.hpp"
#include "objectives/ism.hpp"
#include "objectives/lcss.hpp"
#include "objectives/local_dsm.hpp"
#include "objectives/sliced_score_matching.hpp"
#include "objectives/stf.hpp"
#include "util/error.hpp"
#include "util/registry_table.hpp"

namespace scorekit {

namespace {
template <class T>
std::function<ObjectivePtr(const Json&)> build() {
  return [](const Json& spec) { return std::make_shared<T>(spec); };
}
std::function<ObjectivePtr(const Json&)> sliced(const std::string& name) {
  return [name](const Json& spec) { return std::make_shared<SlicedScoreMatching>(name, spec); };
}
}  // namespace

const std::vector<ObjectiveEntry>& objective_table() {
  static const std::vector<ObjectiveEntry> table = {
      {"dsm", "denoising score matching: regress onto the kernel's score -z/sigma_t", true, build<Dsm>()},
      {"ssm", "sliced score matching: 1/2 (v's)^2 + v'(ds/dx)v, double backward", false, sliced("ssm")},
      {"ssm_vr", "sliced score matching, variance-reduced: 1/2 |s|^2 + v'(ds/dx)v", false, sliced("ssm_vr")},
      {"fd_ssm", "finite-difference SSM: two forwards at x +- v, no double backward", false, build<FdSsm>()},
      {"ism", "implicit score matching with the exact trace (d backward passes: small d)", false, build<Ism>()},
      {"ism_hutchinson", "implicit score matching with Hutchinson's trace estimate", false, sliced("ism_hutchinson")},
      {"lcss", "local curvature smoothing with Stein's identity: forwards only", false, build<Lcss>()},
      {"stf", "stable target field: DSM onto a reference-batch average of kernel scores", true, build<Stf>()},
      {"local_dsm", "local DSM: Gaussian hops of the linearised SDE, for nonlinear SDEs", false, build<LocalDsm>()},
  };
  return table;
}

const ObjectiveEntry& objective_entry(const std::string& name) {
  for (const auto& e : objective_table())
    if (e.name == name) return e;
  unknown_name("objective", name, objective_names());
}

std::vector<std::string> objective_names() { return names_of(objective_table()); }

std::string objective_help() {
  std::string out;
  for (const auto& e : objective_table())
    out += help_line(e.name, e.summary, e.affine_only ? "affine SDEs" : "every SDE");
  return out;
}

// "time_sampling" and "path_pool" belong to every objective, so they are read here rather than by
// each constructor.
ObjectivePtr make_objective(const Json& spec_in) {
  Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  TimeSampling ts;
  if (spec.is_object() && spec.contains("time_sampling")) {
    ts = TimeSampling(spec["time_sampling"]);
    spec.erase("time_sampling");
  }
  PathPoolOptions pool;
  if (spec.is_object() && spec.contains("path_pool")) {
    pool = PathPoolOptions::from_spec(spec["path_pool"]);
    spec.erase("path_pool");
  }
  auto objective = objective_entry(spec_name(spec, "objective")).make(spec);
  objective->set_time_sampling(ts);
  objective->set_path_pool(pool);
  return objective;
}

}  // namespace scorekit
