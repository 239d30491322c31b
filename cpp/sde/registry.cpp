// The SDE registry: one row per name. Names, help text and "valid: ..." errors come from here.
#include "sde/edm_sde.hpp"
#include "sde/langevin_sde.hpp"
#include "sde/potential_sdes.hpp"
#include "sde/ve_sde.hpp"
#include "sde/vp_sde.hpp"
#include "util/registry_table.hpp"

namespace scorekit {

namespace {
SdePtr make_ve(const Json& s) { return std::make_shared<VeSde>(s); }
SdePtr make_vp(const Json& s) { return std::make_shared<VpSde>(s, false); }
SdePtr make_subvp(const Json& s) { return std::make_shared<VpSde>(s, true); }
SdePtr make_edm(const Json& s) { return std::make_shared<EdmSde>(s); }
}  // namespace

const std::vector<SdeEntry>& sde_table() {
  static const std::vector<SdeEntry> table = {
      {"ve", make_ve, "variance exploding, σ(t) = σ_min (σ_max/σ_min)^t (Song et al. 2021)"},
      {"vp", make_vp, "variance preserving, linear β(t) (Song et al. 2021)"},
      {"subvp", make_subvp, "sub-VP: VP's drift with a smaller diffusion (Song et al. 2021)"},
      {"edm", make_edm, "EDM: x_σ = x_0 + σ z with t = σ on [0.002, 80] (Karras et al. 2022)"},
      {"langevin_mog", make_langevin_mog, "Langevin toward a mixture-of-Gaussians prior (nonlinear)"},
      {"langevin_logistic", make_langevin_logistic, "Langevin toward a logistic prior (nonlinear)"},
      {"cubic", make_cubic_sde, "cubic drift −β(x³ − a x) (nonlinear)"},
      {"double_well", make_double_well_sde, "overdamped Langevin in a double-well potential (nonlinear)"},
  };
  return table;
}

std::vector<std::string> sde_names() { return names_of(sde_table()); }

SdePtr make_sde(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "sde");
  for (const auto& e : sde_table())
    if (name == e.name) return e.make(spec);
  unknown_name("sde", name, sde_names());
}

}  // namespace scorekit
