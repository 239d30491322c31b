#pragma once
#include "samplers/dormand_prince.hpp"
#include "samplers/sampler.hpp"

namespace scorekit {

// Probability-flow ODE with adaptive Dormand–Prince RK45 from T to eps (Song et al. 2021 use
// rtol = atol = 1e-5). The NFE it reports is what the error control needed, not a preset.
class OdeRk45 : public Sampler {
 public:
  explicit OdeRk45(const Json& spec);
  std::string name() const override { return "ode_rk45"; }
  Json spec() const override;
  SampleOutput run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                   const ProgressFn& progress) override;

 private:
  DormandPrinceOptions options_;
};

}  // namespace scorekit
