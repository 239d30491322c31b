#include "cli/scorer_args.hpp"

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit::cli {

Scorer scorer_from_args(Args& a) {
  const std::string checkpoint = a.text("checkpoint"), model = a.text("model"), device = a.text("device");
  if (!checkpoint.empty() && !model.empty())
    throw Error("give either --checkpoint PATH or --model oracle, not both");
  const double ema_sigma_rel = a.number("ema-sigma-rel", 0);
  if (ema_sigma_rel != 0 && checkpoint.empty()) throw Error("--ema-sigma-rel needs --checkpoint");
  if (!checkpoint.empty()) return load_scorer(checkpoint, device, ema_sigma_rel);
  if (model == "oracle") {
    if (!device.empty() && !parse_device(device).is_cpu())
      throw Error("--model oracle computes the exact score on the CPU; drop --device " + device);
    const std::string data = a.text("data");
    if (data.empty()) throw Error("--model oracle needs --data mixture:FILE.json");
    return make_oracle_scorer(dataset_spec_from_arg(data), Json{{"name", a.text("sde", "vp")}});
  }
  if (!model.empty())
    throw Error("--model '" + model + "' needs training first; only 'oracle' works without a checkpoint");
  throw Error("missing --checkpoint PATH (or --model oracle --data mixture:FILE.json --sde NAME)");
}

}  // namespace scorekit::cli
