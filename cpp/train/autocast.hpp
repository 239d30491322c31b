#pragma once
// Mixed precision: while an AutocastGuard is alive, matrix products and convolutions on `device`
// run in bfloat16 (LibTorch's autocast), everything else in float32; the parameters stay float32
// (the master weights), and so do their gradients. Used around the forward pass and the loss only.
#include <c10/core/DeviceType.h>
#include <c10/core/ScalarType.h>

#include <string>
#include <vector>

namespace scorekit {

class AutocastGuard {
 public:
  AutocastGuard(c10::DeviceType device, bool enabled);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  c10::DeviceType device_;
  bool enabled_;
  bool was_enabled_ = false;
  c10::ScalarType old_dtype_ = c10::ScalarType::Float;
};

// The "precision" values of a training spec.
inline std::vector<std::string> precision_names() { return {"fp32", "bf16"}; }

}  // namespace scorekit
