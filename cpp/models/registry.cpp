// The model registry: names to constructors, summaries and the SDEs each works with.
#include "models/registry.hpp"

#include <cstdio>

#include "models/mlp.hpp"
#include "models/unet.hpp"
#include "util/error.hpp"
#include "util/registry_table.hpp"

namespace scorekit {

const std::vector<ModelEntry>& model_table() {
  static const std::vector<ModelEntry> table = {
      {"mlp", "MLP with a Fourier time embedding, for flat (N, d) data", "every SDE (parameterisation 'score' on nonlinear ones)",
       [](const Json& spec, SdePtr sde, const std::vector<int64_t>& shape) -> ModelPtr {
         if (shape.size() != 1) throw Error("model 'mlp' needs flat (N, d) data; image data needs the 'unet' model");
         return std::make_shared<Mlp>(spec, std::move(sde), shape[0]);
       }},
      {"unet", "DDPM++-style U-Net for (N, C, H, W) images", "every SDE (parameterisation 'score' on nonlinear ones)",
       [](const Json& spec, SdePtr sde, const std::vector<int64_t>& shape) -> ModelPtr {
         if (shape.size() != 3)
           throw Error("model 'unet' needs (N, C, H, W) image data; flat (N, d) data needs the 'mlp' model");
         return std::make_shared<Unet>(spec, std::move(sde), shape);
       }},
      {"oracle", "the exact score of mixture data (--model oracle --data mixture:FILE.json); not trainable",
       "affine SDEs",
       [](const Json&, SdePtr, const std::vector<int64_t>&) -> ModelPtr {
         throw Error("model 'oracle' is the exact score of mixture data and is not built from a model spec: use "
                     "--model oracle --data mixture:FILE.json --sde NAME (make_oracle_scorer in train/scorer.hpp); it "
                     "cannot be trained");
       }},
  };
  return table;
}

std::vector<std::string> model_names() { return names_of(model_table()); }

std::string model_help() {
  std::string out;
  for (const auto& e : model_table()) out += help_line(e.name, e.summary, e.sdes);
  return out;
}

ModelPtr make_model(const Json& spec_in, SdePtr sde, const std::vector<int64_t>& sample_shape) {
  const Json spec = spec_in.is_string() ? Json{{"name", spec_in}} : spec_in;
  const std::string name = spec_name(spec, "model");
  for (const auto& e : model_table())
    if (e.name == name) return e.make(spec, std::move(sde), sample_shape);
  unknown_name("model", name, model_names());
}

}  // namespace scorekit
