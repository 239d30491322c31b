#include "train/scorer.hpp"

#include "train/trainer.hpp"

namespace scorekit {

Scorer load_scorer(const std::string& checkpoint_path) {
  auto trainer = Trainer::from_checkpoint(checkpoint_path);
  auto model = trainer->ema_model_ptr();
  model->eval();
  return {trainer->sde_ptr(), model, trainer->data_ptr(), trainer->spec(), trainer->steps_done()};
}

}  // namespace scorekit
