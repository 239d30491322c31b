#pragma once
// The training loop: Adam with linear learning-rate warm-up, gradient-norm clipping, an EMA copy
// of the weights for sampling. Each step splits the global batch into micro-batches, each drawn
// (data, times, noise) from its own stream seeded by (seed, step, micro-batch index); gradients
// accumulate over them. Ranks of a process group take micro-batches round-robin and average
// gradients, so the trajectory depends on the seed and micro-batch size, not on the number of
// ranks: 2 ranks × B equal 1 rank × 2B with micro-batch B, and a run may resume on any rank count.

#include <functional>
#include <memory>

#include "data/dataset.hpp"
#include "models/score_model.hpp"
#include "objectives/objective.hpp"
#include "train/adam.hpp"
#include "train/distributed.hpp"
#include "train/ema.hpp"
#include "train/ema_schedule.hpp"
#include "train/ema_snapshots.hpp"
#include "train/lr_schedule.hpp"
#include "util/progress.hpp"

namespace scorekit {

struct CheckpointData;

struct TrainConfig {
  int64_t batch = 256;        // the global batch, over all ranks
  int64_t micro_batch = 0;    // 0: batch / world size; each micro-batch has its own random stream
  double lr = 2e-3;
  int64_t warmup = 100;
  std::string lr_schedule = "constant";  // constant | cosine | inverse_sqrt (train/lr_schedule.hpp)
  int64_t lr_decay_steps = 0;            // cosine: T; inverse_sqrt: t_ref
  double lr_min = 0;                     // cosine: the final rate
  double weight_decay = 0;  // decoupled (AdamW, Loshchilov & Hutter 2019): θ ← θ·(1 − lr·wd) before Adam
  double grad_clip = 1.0;  // <= 0 disables clipping
  std::string ema_schedule = "constant";  // constant | warmup | half_life | power (train/ema_schedule.hpp)
  double ema_decay = 0.999;
  double ema_warmup_gamma = 1.0, ema_warmup_power = 2.0 / 3.0;
  double ema_half_life_images = 500000, ema_rampup_ratio = 0.05;
  double ema_sigma_rel = 0.05;
  std::vector<double> ema_posthoc;  // σ_rel of the power EMAs kept for post-hoc reconstruction (EDM2: two)
  int64_t ema_snapshot_every = 0;   // steps between their snapshots; > 0 when ema_posthoc is set
  std::string precision = "fp32";   // fp32 | bf16 (autocast of the forward pass; fp32 master weights)
  uint64_t seed = 0;
  int64_t log_every = 100;
  int64_t checkpoint_every = 0;  // steps between checkpoints written by run(); 0: none
  static TrainConfig from_spec(const Json& spec);
  Json to_spec() const;
  LrSchedule make_lr_schedule() const;
  EmaSchedule make_ema_schedule() const;
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
  // Trains on `data` (e.g. an in-memory array); spec["data"], if present, is replaced by data->spec().
  Trainer(const Json& spec, DatasetPtr data, ProcessGroupPtr group = nullptr);
  StepResult step();
  // Runs n steps; `metrics` receives one JSON object every log_every steps and at the end.
  void run(int64_t n, const ProgressFn& progress = nullptr, const std::function<void(const Json&)>& metrics = nullptr);

  void save(const std::string& path) const;
  // Makes run() save to `path` every `every` steps (atomically, replacing the previous one). With
  // keep_last > 0 each periodic checkpoint is a new numbered file beside `path`
  // (train/checkpoint_retention.hpp) and only the newest keep_last of them stay.
  void set_checkpointing(const std::string& path, int64_t every, int64_t keep_last = 0);
  // Called by run() on rank 0 after every step (the command line draws sample grids with it).
  void set_step_hook(std::function<void(Trainer&)> hook) { step_hook_ = std::move(hook); }
  // Restores weights, EMA, optimiser state, step and generator state from a checkpoint whose
  // spec matches this trainer's architecture.
  void load(const std::string& path);
  // Resumes a run. `device` ("cpu", "cuda", "cuda:N"; empty: the one in its spec) places the model:
  // a checkpoint written on a GPU loads on a CPU and the other way round. The data are rebuilt from
  // the stored spec unless `data` is given (data that moved, or an in-memory array); a missing data
  // file is an error naming it and the way out.
  static std::unique_ptr<Trainer> from_checkpoint(const std::string& path, ProcessGroupPtr group = nullptr,
                                                  const std::string& device = "", DatasetPtr data = nullptr);
  int rank() const { return group_ ? group_->rank() : 0; }
  int world_size() const { return group_ ? group_->world_size() : 1; }

  const Json& spec() const { return spec_; }
  int64_t steps_done() const { return step_; }
  double last_loss() const { return last_loss_; }
  ScoreModel& model() { return *model_; }
  ScoreModel& ema_model() { return *ema_; }
  const ModelPtr& ema_model_ptr() const { return ema_; }
  const Sde& sde() const { return *sde_; }
  Objective& objective() { return *objective_; }
  const SdePtr& sde_ptr() const { return sde_; }
  const Dataset& data() const { return *data_; }
  const DatasetPtr& data_ptr() const { return data_; }
  const TrainConfig& config() const { return config_; }
  const std::vector<EmaSnapshot>& ema_snapshots() const { return snapshots_; }
  ScoreModel& posthoc_ema_model(size_t k) { return *posthoc_.at(k); }
  at::Generator& generator() { return gen_; }

 private:
  void restore(const CheckpointData& ck);
  int64_t micro_batches() const;  // per step, validated against the world size
  Json spec_;
  TrainConfig config_;
  DatasetPtr data_;
  SdePtr sde_;
  ModelPtr model_, ema_;
  WeightList model_weights_, ema_weights_;  // gathered once (train/ema.hpp)
  std::vector<WeightList> posthoc_weights_;
  LrSchedule lr_schedule_;
  EmaSchedule ema_schedule_;
  std::vector<double> posthoc_gamma_;  // γ of each post-hoc power EMA
  std::vector<ModelPtr> posthoc_;
  std::vector<EmaSnapshot> snapshots_;
  ObjectivePtr objective_;
  ProcessGroupPtr group_;
  std::unique_ptr<Adam> optimizer_;
  at::Generator gen_;
  at::Generator noise_gen_;  // the objective's noise on a GPU
  int64_t step_ = 0;
  double last_loss_ = 0;
  mutable at::Tensor reference_;  // the data sample stored in checkpoints of file or array data
  std::string checkpoint_path_;
  int64_t checkpoint_every_ = 0;
  int64_t keep_last_ = 0;
  std::function<void(Trainer&)> step_hook_;
};

// Fills the defaults of a full training spec and checks its parts; "data" may be absent only when
// the data come as an object. The resolved spec also carries "sample_shape" (the shape of one
// sample), which is all sampling and scoring need to know of the data.
Json normalise_training_spec(const Json& spec, bool data_given = false);

// The training spec stored in a checkpoint (verified like any load; CheckpointError unless it is a
// JSON object), from its file or from its data already read.
Json checkpoint_spec(const std::string& path);
Json checkpoint_spec(const CheckpointData& ck, const std::string& path);

}  // namespace scorekit
