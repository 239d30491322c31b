#pragma once
// Where a sampler's randomness comes from. Usually a generator; or given arrays — the prior draw x_T
// and the standard normals of every later draw, taken in order — so that a run can be replayed
// exactly elsewhere (in float64, with the same noise), e.g. against k-diffusion's samplers.
#include <ATen/ATen.h>

#include "models/score_model.hpp"

namespace scorekit {

class NoiseSource {
 public:
  explicit NoiseSource(at::Generator& gen) : gen_(&gen) {}
  // x_T: (n, ...sample_shape); normals: any shape, read flat in order, one draw after another.
  NoiseSource(at::Tensor x_T, at::Tensor normals);

  // n draws from the SDE's prior (or the given x_T), shaped for `model` and on its device.
  at::Tensor prior(ScoreModel& model, const Sde& sde, int64_t n);
  // Standard normals of this shape, with opts' dtype and device.
  at::Tensor normal(at::IntArrayRef shape, const at::TensorOptions& opts);
  // Given normals not yet used (0 with a generator).
  int64_t normals_left() const { return gen_ ? 0 : normals_.numel() - used_; }

 private:
  at::Generator* gen_ = nullptr;  // null: the draws are given
  at::Tensor x_T_, normals_;      // normals_ flat
  int64_t used_ = 0;
};

}  // namespace scorekit
