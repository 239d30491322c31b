// `scorekit nll`: negative log-likelihood of points under a model, through the PF-ODE.
#include <chrono>

#include "cli/commands.hpp"
#include "cli/progress_bar.hpp"
#include "cli/scorer_args.hpp"
#include "io/npy.hpp"
#include "likelihood/likelihood.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit::cli {

Json nll_command(Args& a) {
  auto scorer = scorer_from_args(a);
  auto x = read_npy(a.required("input"));
  const bool exact = a.flag("exact");
  const bool hutchinson = a.has("hutchinson");
  const long long probes = hutchinson ? a.positive("hutchinson", 1) : 1;
  Json options = {{"noise", a.text("noise", "rademacher")}, {"rtol", a.number("rtol", 1e-5)},
                  {"atol", a.number("atol", 1e-5)}, {"dequantize", a.flag("dequantize")}};
  const uint64_t seed = static_cast<uint64_t>(a.integer("seed", 0));
  const std::string out = a.text("out");
  a.finish("nll");
  if (exact && hutchinson) throw Error("give --exact or --hutchinson K, not both");
  // Default: the exact divergence for small d (d backward passes), else one Hutchinson probe.
  int64_t d = 1;
  for (auto s : scorer.model->sample_shape()) d *= s;
  const bool use_exact = exact || (!hutchinson && d <= 32);
  options["divergence"] = use_exact ? "exact" : "hutchinson";
  if (!use_exact) options["probes"] = probes;
  auto gen = make_generator(seed, scorer.model->device());
  auto t0 = std::chrono::steady_clock::now();
  auto r = negative_log_likelihood(*scorer.model, *scorer.sde, x, options, gen, adapting_threads(progress_bar("nll")));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Json result = {{"nll_nats", r.mean_nats}, {"bits_per_dim", r.bits_per_dim}, {"n", x.size(0)}, {"nfe", r.nfe},
                 {"divergence", options["divergence"]}, {"seconds", secs}};
  if (!use_exact) result["probes"] = probes;
  if (!out.empty()) {
    write_npy(out, r.nll);
    result["per_sample"] = out;
  }
  return result;
}

}  // namespace scorekit::cli
