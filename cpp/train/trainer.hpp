#pragma once
// The training loop: Adam with linear learning-rate warm-up, gradient-norm clipping, an EMA copy
// of the weights for sampling. Each step splits the global batch into micro-batches, each drawn
// (data, times, noise) from its own stream seeded by (seed, step, micro-batch index); gradients
// accumulate over them. Ranks of a process group take micro-batches round-robin and average
// gradients, so the trajectory depends on the seed and micro-batch size, not on the number of
// ranks: 2 ranks × B equal 1 rank × 2B with micro-batch B, and a run may resume on any rank count.
#include <torch/optim/adam.h>

#include <functional>
#include <memory>

#include "data/dataset.hpp"
#include "models/score_model.hpp"
#include "objectives/objective.hpp"
#include "train/distributed.hpp"
#include "util/progress.hpp"

namespace scorekit {

struct CheckpointData;

struct TrainConfig {
  int64_t batch = 256;        // the global batch, over all ranks
  int64_t micro_batch = 0;    // 0: batch / world size; each micro-batch has its own random stream
  double lr = 2e-3;
  int64_t warmup = 100;
  double grad_clip = 1.0;  // <= 0 disables clipping
  double ema_decay = 0.999;
  uint64_t seed = 0;
  int64_t log_every = 100;
  int64_t checkpoint_every = 0;  // steps between checkpoints written by run(); 0: none
  static TrainConfig from_spec(const Json& spec);
  Json to_spec() const;
};

struct StepResult {
  double loss = 0;
  double grad_norm = 0;
  double lr = 0;
};

class Trainer {
 public:
  // spec: {"data": .., "sde": .., "model": .., "objective": .., "train": {..}}; missing parts get defaults.
  explicit Trainer(const Json& spec, ProcessGroupPtr group = nullptr);
  StepResult step();
  // Runs n steps; `metrics` receives one JSON object every log_every steps and at the end.
  void run(int64_t n, const ProgressFn& progress = nullptr, const std::function<void(const Json&)>& metrics = nullptr);

  void save(const std::string& path) const;
  // Makes run() save to `path` every `every` steps (atomically, replacing the previous one).
  void set_checkpointing(const std::string& path, int64_t every);
  // Restores weights, EMA, optimiser state, step and generator state from a checkpoint whose
  // spec matches this trainer's architecture.
  void load(const std::string& path);
  // `device` ("cpu", "cuda", "cuda:N"; empty: the one in its spec; "available": the one in its spec
  // if this machine has it, else the CPU) places the model: a checkpoint written on a GPU loads on a
  // CPU and the other way round.
  static std::unique_ptr<Trainer> from_checkpoint(const std::string& path, ProcessGroupPtr group = nullptr,
                                                  const std::string& device = "");
  int rank() const { return group_ ? group_->rank() : 0; }
  int world_size() const { return group_ ? group_->world_size() : 1; }

  const Json& spec() const { return spec_; }
  int64_t steps_done() const { return step_; }
  double last_loss() const { return last_loss_; }
  ScoreModel& model() { return *model_; }
  ScoreModel& ema_model() { return *ema_; }
  const ModelPtr& ema_model_ptr() const { return ema_; }
  const Sde& sde() const { return *sde_; }
  const SdePtr& sde_ptr() const { return sde_; }
  const Dataset& data() const { return *data_; }
  const DatasetPtr& data_ptr() const { return data_; }
  const TrainConfig& config() const { return config_; }
  at::Generator& generator() { return gen_; }

 private:
  void restore(const CheckpointData& ck);
  int64_t micro_batches() const;  // per step, validated against the world size
  Json spec_;
  TrainConfig config_;
  DatasetPtr data_;
  SdePtr sde_;
  ModelPtr model_, ema_;
  ObjectivePtr objective_;
  ProcessGroupPtr group_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  at::Generator gen_;
  int64_t step_ = 0;
  double last_loss_ = 0;
  std::string checkpoint_path_;
  int64_t checkpoint_every_ = 0;
};

// Fills the defaults of a full training spec and checks every part (names, keys, compatibility).
Json normalise_training_spec(const Json& spec);

// The training spec stored in a checkpoint (verified like any load).
Json checkpoint_spec(const std::string& path);

}  // namespace scorekit
