#pragma once
// Random projection directions for the slicing and trace estimators. Every kind has E[v vᵀ] = I,
// so vᵀ∇s v is an unbiased estimate of tr ∇s whatever the kind.
#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace scorekit {

// "gaussian": v ~ N(0, I); "sphere": uniform on the sphere of radius √d; "rademacher": ±1.
// Shape (n, ...) with d = numel per row.
at::Tensor draw_probes(const std::string& kind, at::IntArrayRef shape, at::Generator& gen, const at::TensorOptions& opts);
inline std::vector<std::string> probe_kinds() { return {"gaussian", "sphere", "rademacher"}; }

// A direction uniform on the unit sphere per row, scaled by `radius`.
at::Tensor sphere_directions(at::IntArrayRef shape, double radius, at::Generator& gen, const at::TensorOptions& opts);

}  // namespace scorekit
