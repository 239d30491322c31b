#include "train/autocast.hpp"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "util/error.hpp"

namespace scorekit {

// The autocast switches are per device type from LibTorch 2.4 on; 1.13 has one pair per device.
namespace {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool is_on(c10::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
void set_on(c10::DeviceType d, bool on) { at::autocast::set_autocast_enabled(d, on); }
c10::ScalarType dtype(c10::DeviceType d) { return at::autocast::get_autocast_dtype(d); }
void set_dtype(c10::DeviceType d, c10::ScalarType t) { at::autocast::set_autocast_dtype(d, t); }
#else
bool is_on(c10::DeviceType d) { return d == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled(); }
void set_on(c10::DeviceType d, bool on) {
  if (d == c10::DeviceType::CUDA) at::autocast::set_enabled(on);
  else at::autocast::set_cpu_enabled(on);
}
c10::ScalarType dtype(c10::DeviceType d) {
  return d == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void set_dtype(c10::DeviceType d, c10::ScalarType t) {
  if (d == c10::DeviceType::CUDA) at::autocast::set_autocast_gpu_dtype(t);
  else at::autocast::set_autocast_cpu_dtype(t);
}
#endif
}  // namespace

AutocastGuard::AutocastGuard(c10::DeviceType device, bool enabled) : device_(device), enabled_(enabled) {
  if (!enabled_) return;
  if (device_ != c10::DeviceType::CPU && device_ != c10::DeviceType::CUDA)
    throw Error("precision 'bf16' needs a CPU or CUDA device");
  was_enabled_ = is_on(device_);
  old_dtype_ = dtype(device_);
  set_on(device_, true);
  set_dtype(device_, c10::ScalarType::BFloat16);
  at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
  if (!enabled_) return;
  // The cache of bf16 copies of the weights must not outlive this forward pass: the weights change.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_on(device_, was_enabled_);
  set_dtype(device_, old_dtype_);
}

}  // namespace scorekit
