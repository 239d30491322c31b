#include "objectives/time_sampling.hpp"

#include "models/edm.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

TimeSampling::TimeSampling(const Json& spec_in) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  kind_ = spec_name(spec, "time_sampling");
  bool known = false;
  for (const auto& k : kinds()) known |= k == kind_;
  if (!known) unknown_name("time_sampling", kind_, kinds());
  SpecReader r(spec, "time_sampling '" + kind_ + "'");
  r.ignore("name");
  if (kind_ == "log_normal") {
    p_mean_ = r.number("p_mean", -1.2);
    p_std_ = r.positive("p_std", 1.2);
  }
  r.finish();
}

Json TimeSampling::spec() const {
  if (kind_ == "uniform") return kind_;
  return {{"name", kind_}, {"p_mean", p_mean_}, {"p_std", p_std_}};
}

at::Tensor TimeSampling::draw(const Sde& sde, int64_t n, at::Generator& gen, const at::TensorOptions& opts) const {
  if (kind_ == "uniform") return sde.eps() + (sde.T() - sde.eps()) * rand({n}, gen, opts);
  if (!sde.is_affine())
    throw Error("time_sampling 'log_normal' draws the noise level of an affine SDE; '" + sde.name() +
                "' is nonlinear (use 'uniform')");
  // σ and its inverse in double, so t(σ) is exact to rounding before the cast to the model's dtype.
  auto sigma = at::exp(p_mean_ + p_std_ * randn({n}, gen, opts.device(at::kCPU)).to(at::kDouble));
  auto t = edm_time(sde, sigma).clamp(sde.eps(), sde.T());
  return t.to(opts.dtype()).to(opts.device());
}

}  // namespace scorekit
