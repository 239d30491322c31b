// The sampler registry: names to constructors.
#include "samplers/euler_maruyama.hpp"
#include "samplers/ode_euler.hpp"

namespace scorekit {

std::vector<std::string> sampler_names() { return {"em", "ode_euler"}; }

at::Tensor time_grid(const Sde& sde, int64_t steps) {
  return at::linspace(sde.T(), sde.eps(), steps + 1, at::TensorOptions().dtype(at::kDouble));
}

SamplerPtr make_sampler(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "sampler");
  if (name == "em") return std::make_shared<EulerMaruyama>(spec);
  if (name == "ode_euler") return std::make_shared<OdeEuler>(spec);
  unknown_name("sampler", name, sampler_names());
}

}  // namespace scorekit
