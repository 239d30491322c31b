#pragma once
// Reverse-time samplers. Each starts from the SDE's prior, draws all randomness from the given
// generator, counts score-network evaluations (NFE) and reports progress per step.
#include <ATen/ATen.h>

#include <memory>

#include "models/score_model.hpp"
#include "samplers/noise_source.hpp"
#include "util/progress.hpp"

namespace scorekit {

struct SampleOutput {
  at::Tensor x;     // (n, ...sample_shape), on the CPU
  int64_t nfe = 0;  // score-network evaluations used
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::string name() const = 0;
  virtual Json spec() const = 0;
  // n samples with every draw from gen.
  SampleOutput sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                      const ProgressFn& progress = nullptr) {
    NoiseSource noise(gen);
    return run(model, sde, n, noise, progress);
  }
  // n samples with every draw from noise (a generator, or given arrays to replay a run exactly).
  virtual SampleOutput run(ScoreModel& model, const Sde& sde, int64_t n, NoiseSource& noise,
                           const ProgressFn& progress = nullptr) = 0;
};

using SamplerPtr = std::shared_ptr<Sampler>;

// The sampler registry: one row per name (samplers/registry.cpp); names, help and errors derive from it.
struct SamplerEntry {
  const char* name;
  SamplerPtr (*make)(const Json& spec);
  const char* summary;  // one line for help text
};
const std::vector<SamplerEntry>& sampler_table();

SamplerPtr make_sampler(const Json& spec);
std::vector<std::string> sampler_names();

// The uniform time grid T = t_0 > ... > t_N = eps used by the fixed-step samplers.
at::Tensor time_grid(const Sde& sde, int64_t steps);

}  // namespace scorekit
