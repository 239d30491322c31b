#include "train/scorer.hpp"

#include "models/oracle.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"

namespace scorekit {

Scorer load_scorer(const std::string& checkpoint_path, const std::string& device) {
  // A GPU checkpoint samples anywhere: without a device asked, a machine lacking its GPU uses the CPU.
  auto trainer = Trainer::from_checkpoint(checkpoint_path, nullptr, device.empty() ? "available" : device);
  auto model = trainer->ema_model_ptr();
  model->eval();
  return {trainer->sde_ptr(), model, trainer->data_ptr(), trainer->spec(), trainer->steps_done()};
}

Scorer make_oracle_scorer(const Json& data_spec, const Json& sde_spec) {
  auto data = make_dataset(data_spec);
  if (!data->mixture()) throw Error("model 'oracle' needs Gaussian-mixture data (--data mixture:FILE.json); the data given are not a mixture");
  auto sde = make_sde(sde_spec);
  // Shares ownership with the dataset, which owns the mixture.
  std::shared_ptr<const GaussianMixture> mixture(data, data->mixture());
  auto model = std::make_shared<OracleModel>(mixture, sde);
  Json spec = {{"data", data->spec()}, {"sde", sde->spec()}, {"model", model->spec()}};
  return {sde, model, data, spec, 0};
}

}  // namespace scorekit
