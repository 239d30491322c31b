// The sampler registry: names to constructors.
#include "samplers/annealed_langevin.hpp"
#include "samplers/edm_heun.hpp"
#include "samplers/euler_maruyama.hpp"
#include "samplers/ode_euler.hpp"
#include "samplers/ode_heun.hpp"
#include "samplers/ode_rk4.hpp"
#include "samplers/ode_rk45.hpp"
#include "samplers/predictor_corrector.hpp"

namespace scorekit {

std::vector<std::string> sampler_names() {
  return {"em", "ode_euler", "pc", "ode_heun", "ode_rk4", "ode_rk45", "edm_heun", "ald"};
}

at::Tensor prior_batch(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen) {
  auto shape = model.sample_shape();
  shape.insert(shape.begin(), n);
  return sde.prior_sample(shape, gen).to(model.device());
}

at::Tensor time_grid(const Sde& sde, int64_t steps) {
  return at::linspace(sde.T(), sde.eps(), steps + 1, at::TensorOptions().dtype(at::kDouble));
}

SamplerPtr make_sampler(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "sampler");
  if (name == "em") return std::make_shared<EulerMaruyama>(spec);
  if (name == "ode_euler") return std::make_shared<OdeEuler>(spec);
  if (name == "pc") return std::make_shared<PredictorCorrector>(spec);
  if (name == "ode_heun") return std::make_shared<OdeHeun>(spec);
  if (name == "ode_rk4") return std::make_shared<OdeRk4>(spec);
  if (name == "ode_rk45") return std::make_shared<OdeRk45>(spec);
  if (name == "edm_heun") return std::make_shared<EdmHeun>(spec);
  if (name == "ald") return std::make_shared<AnnealedLangevin>(spec);
  unknown_name("sampler", name, sampler_names());
}

}  // namespace scorekit
