// The model registry: names to constructors.
#include "models/mlp.hpp"
#include "util/error.hpp"

namespace scorekit {

std::vector<std::string> model_names() { return {"mlp", "oracle"}; }

ModelPtr make_model(const Json& spec_in, SdePtr sde, const std::vector<int64_t>& sample_shape) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "model");
  if (name == "mlp") {
    if (sample_shape.size() != 1)
      throw Error("model 'mlp' needs flat (N, d) data; image data needs the 'unet' model");
    return std::make_shared<Mlp>(spec, std::move(sde), sample_shape[0]);
  }
  if (name == "oracle")
    throw Error("model 'oracle' is the exact score of mixture data and is not built from a model spec: use "
                "--model oracle --data mixture:FILE.json --sde NAME (make_oracle_scorer in train/scorer.hpp); it cannot be trained");
  unknown_name("model", name, model_names());
}

}  // namespace scorekit
