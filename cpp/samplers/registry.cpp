// The sampler registry: one row per name. Names, help text and "valid: ..." errors come from here.
#include "samplers/annealed_langevin.hpp"
#include "samplers/ddim.hpp"
#include "samplers/dpmpp_2m.hpp"
#include "samplers/dpmpp_2m_sde.hpp"
#include "samplers/dpmpp_3m_sde.hpp"
#include "samplers/edm_heun.hpp"
#include "samplers/euler_ancestral.hpp"
#include "samplers/euler_maruyama.hpp"
#include "samplers/ode_euler.hpp"
#include "samplers/ode_heun.hpp"
#include "samplers/ode_rk4.hpp"
#include "samplers/ode_rk45.hpp"
#include "samplers/predictor_corrector.hpp"
#include "util/registry_table.hpp"

namespace scorekit {

namespace {
template <class S>
SamplerPtr make(const Json& spec) {
  return std::make_shared<S>(spec);
}
}  // namespace

const std::vector<SamplerEntry>& sampler_table() {
  static const std::vector<SamplerEntry> table = {
      {"em", make<EulerMaruyama>, "reverse-time Euler–Maruyama on the uniform t grid"},
      {"ode_euler", make<OdeEuler>, "probability-flow ODE, Euler steps in t"},
      {"pc", make<PredictorCorrector>, "predictor–corrector (reverse diffusion + Langevin; Song et al. 2021)"},
      {"ode_heun", make<OdeHeun>, "probability-flow ODE, Heun steps in t"},
      {"ode_rk4", make<OdeRk4>, "probability-flow ODE, classical RK4 in t"},
      {"ode_rk45", make<OdeRk45>, "probability-flow ODE, adaptive Dormand–Prince RK45"},
      {"edm_heun", make<EdmHeun>, "EDM Heun in σ with optional churn (Karras et al. 2022, Alg. 2)"},
      {"ald", make<AnnealedLangevin>, "annealed Langevin dynamics (Song & Ermon 2019)"},
      {"ddim", make<Ddim>, "DDIM with η in σ (Song, Meng & Ermon 2021)"},
      {"euler_ancestral", make<EulerAncestral>, "Euler ancestral in σ (k-diffusion)"},
      {"dpmpp_2m", make<Dpmpp2m>, "DPM-Solver++(2M), deterministic multistep (Lu et al. 2022)"},
      {"dpmpp_2m_sde", make<Dpmpp2mSde>, "DPM-Solver++(2M) SDE"},
      {"dpmpp_3m_sde", make<Dpmpp3mSde>, "DPM-Solver++(3M) SDE"},
  };
  return table;
}

std::vector<std::string> sampler_names() { return names_of(sampler_table()); }

at::Tensor time_grid(const Sde& sde, int64_t steps) {
  return at::linspace(sde.T(), sde.eps(), steps + 1, at::TensorOptions().dtype(at::kDouble));
}

SamplerPtr make_sampler(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "sampler");
  for (const auto& e : sampler_table())
    if (name == e.name) return e.make(spec);
  unknown_name("sampler", name, sampler_names());
}

}  // namespace scorekit
