#include "train/scorer.hpp"

#include "data/npy_dataset.hpp"
#include "io/checkpoint.hpp"
#include "models/oracle.hpp"
#include "train/ema_snapshots.hpp"
#include "train/module_tensors.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

Scorer load_scorer(const std::string& checkpoint_path, const std::string& device, double ema_sigma_rel) {
  auto ck = load_checkpoint(checkpoint_path);
  Json spec = checkpoint_spec(ck, checkpoint_path);
  for (const char* part : {"data", "sde", "model"})
    if (!spec.contains(part))
      throw CheckpointError("checkpoint '" + checkpoint_path + "': its spec has no \"" + part + "\"");
  spec = normalise_training_spec(spec);
  // A GPU checkpoint samples anywhere: without a device asked, a machine lacking its GPU uses the CPU.
  if (spec["model"].is_object())
    spec["model"]["device"] = device.empty() ? available_device(spec["model"].value("device", std::string("cpu"))) : device;
  auto sde = make_sde(spec["sde"]);
  // The model needs only the shape of a sample; checkpoints written before "sample_shape" was
  // stored fall back to reading the data.
  DatasetPtr data;
  std::vector<int64_t> shape;
  if (spec.contains("sample_shape")) {
    shape = spec["sample_shape"].get<std::vector<int64_t>>();
  } else {
    data = make_dataset(spec["data"]);
    shape = data->sample_shape();
  }
  ModelPtr model = make_model(spec["model"], sde, shape);
  if (ema_sigma_rel != 0) {
    const Json& posthoc = spec["train"].is_object() ? spec["train"].value("ema_posthoc", Json::array()) : Json::array();
    reconstruct_posthoc_ema(ck, posthoc.get<std::vector<double>>(), ema_sigma_rel, *model);
  } else {
    import_module("ema/", *model, ck);
  }
  for (auto& p : model->parameters()) p.set_requires_grad(false);
  model->eval();
  // Evaluation compares with the data: rebuilt when the spec alone suffices (no file read), else
  // the reference sample the checkpoint carries.
  if (!data && dataset_spec_is_self_contained(spec["data"])) data = make_dataset(spec["data"]);
  if (!data)
    if (const at::Tensor* ref = ck.find("data/reference")) data = reference_dataset(*ref, spec["data"]);
  return {sde, model, data, spec, ck.step};
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
