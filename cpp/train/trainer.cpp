#include "train/trainer.hpp"

#include <chrono>
#include <cmath>

#include "io/checkpoint.hpp"
#include "train/checkpoint_retention.hpp"
#include "train/autocast.hpp"
#include "train/ema.hpp"
#include "train/grad_norm.hpp"
#include "train/posthoc_ema.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

TrainConfig TrainConfig::from_spec(const Json& spec) {
  SpecReader r(spec, "train");
  TrainConfig c;
  c.batch = r.positive_integer("batch", c.batch);
  c.micro_batch = r.integer("micro_batch", c.micro_batch);
  c.lr = r.positive("lr", c.lr);
  c.warmup = r.integer("warmup", c.warmup);
  c.lr_schedule = r.choice("lr_schedule", c.lr_schedule, LrSchedule::names());
  c.lr_decay_steps = r.integer("lr_decay_steps", c.lr_decay_steps);
  c.lr_min = r.number("lr_min", c.lr_min);
  c.weight_decay = r.number("weight_decay", c.weight_decay);
  c.grad_clip = r.number("grad_clip", c.grad_clip);
  c.ema_schedule = r.choice("ema_schedule", c.ema_schedule, EmaSchedule::names());
  c.ema_decay = r.number("ema_decay", c.ema_decay);
  c.ema_warmup_gamma = r.number("ema_warmup_gamma", c.ema_warmup_gamma);
  c.ema_warmup_power = r.number("ema_warmup_power", c.ema_warmup_power);
  c.ema_half_life_images = r.number("ema_half_life_images", c.ema_half_life_images);
  c.ema_rampup_ratio = r.number("ema_rampup_ratio", c.ema_rampup_ratio);
  c.ema_sigma_rel = r.number("ema_sigma_rel", c.ema_sigma_rel);
  if (r.has("ema_posthoc")) {
    const Json& list = r.raw("ema_posthoc");
    bool ok = list.is_array();
    for (const auto& v : list) ok = ok && v.is_number();
    if (!ok) throw Error("train: 'ema_posthoc' must be an array of sigma_rel values, e.g. [0.05, 0.1]");
    c.ema_posthoc = list.get<std::vector<double>>();
  }
  c.ema_snapshot_every = r.integer("ema_snapshot_every", c.ema_snapshot_every);
  c.precision = r.choice("precision", c.precision, precision_names());
  c.seed = static_cast<uint64_t>(r.integer("seed", 0));
  c.log_every = r.positive_integer("log_every", c.log_every);
  c.checkpoint_every = r.integer("checkpoint_every", c.checkpoint_every);
  r.finish();
  if (c.micro_batch < 0) throw Error("train: 'micro_batch' must be >= 0 (0: batch / world size)");
  if (c.checkpoint_every < 0) throw Error("train: 'checkpoint_every' must be >= 0 (0: no periodic checkpoints)");
  c.make_lr_schedule().validate();
  c.make_ema_schedule().validate();
  if (c.weight_decay < 0) throw Error("train: 'weight_decay' must be >= 0");
  for (double s : c.ema_posthoc) sigma_rel_to_gamma(s);  // throws outside (0, 0.2887)
  if (c.ema_snapshot_every < 0) throw Error("train: 'ema_snapshot_every' must be >= 0");
  if (!c.ema_posthoc.empty() && c.ema_snapshot_every == 0)
    throw Error("train: 'ema_posthoc' needs 'ema_snapshot_every' > 0 (the steps between the snapshots it reconstructs from)");
  return c;
}

LrSchedule TrainConfig::make_lr_schedule() const {
  LrSchedule s;
  s.name = lr_schedule;
  s.lr = lr;
  s.warmup = warmup;
  s.decay_steps = lr_decay_steps;
  s.lr_min = lr_min;
  return s;
}

EmaSchedule TrainConfig::make_ema_schedule() const {
  EmaSchedule s;
  s.name = ema_schedule;
  s.decay = ema_decay;
  s.warmup_gamma = ema_warmup_gamma;
  s.warmup_power = ema_warmup_power;
  s.half_life_images = ema_half_life_images;
  s.rampup_ratio = ema_rampup_ratio;
  s.sigma_rel = ema_sigma_rel;
  s.batch = batch;
  return s;
}

Json TrainConfig::to_spec() const {
  return {{"batch", batch}, {"micro_batch", micro_batch}, {"lr", lr}, {"warmup", warmup},
          {"lr_schedule", lr_schedule}, {"lr_decay_steps", lr_decay_steps}, {"lr_min", lr_min},
          {"weight_decay", weight_decay}, {"grad_clip", grad_clip}, {"ema_schedule", ema_schedule},
          {"ema_decay", ema_decay}, {"ema_warmup_gamma", ema_warmup_gamma}, {"ema_warmup_power", ema_warmup_power},
          {"ema_half_life_images", ema_half_life_images}, {"ema_rampup_ratio", ema_rampup_ratio},
          {"ema_sigma_rel", ema_sigma_rel}, {"ema_posthoc", ema_posthoc}, {"ema_snapshot_every", ema_snapshot_every},
          {"precision", precision}, {"seed", seed}, {"log_every", log_every}, {"checkpoint_every", checkpoint_every}};
}

Json normalise_training_spec(const Json& spec, bool data_given) {
  if (!spec.is_object()) throw Error("training spec must be a JSON object with data, sde, model, objective, train");
  for (auto it = spec.begin(); it != spec.end(); ++it) {
    static const std::vector<std::string> parts = {"data", "sde", "model", "objective", "train", "sample_shape"};
    if (std::find(parts.begin(), parts.end(), it.key()) == parts.end())
      throw Error("training spec: unknown key '" + it.key() + "'; valid: " + join(parts));
  }
  if (!spec.contains("data") && !data_given) throw Error("training spec needs \"data\"");
  Json out = spec;
  if (!out.contains("sde")) out["sde"] = {{"name", "vp"}};
  if (!out.contains("model")) out["model"] = {{"name", "mlp"}};
  if (!out.contains("objective")) out["objective"] = {{"name", "dsm"}};
  if (!out.contains("train")) out["train"] = Json::object();
  for (const char* k : {"data", "sde", "model", "objective"})
    if (out.contains(k) && out[k].is_string()) out[k] = Json{{"name", out[k]}};
  if (out.contains("sample_shape")) {
    const Json& s = out["sample_shape"];
    bool ok = s.is_array() && !s.empty();
    for (const auto& v : s) ok = ok && v.is_number_integer() && v.get<long long>() > 0;
    if (!ok) throw Error("training spec: \"sample_shape\" must be a non-empty array of positive integers, got " + s.dump());
  }
  return out;
}

Trainer::Trainer(const Json& spec, ProcessGroupPtr group) : Trainer(spec, nullptr, std::move(group)) {}

Trainer::Trainer(const Json& spec_in, DatasetPtr data, ProcessGroupPtr group)
    : data_(std::move(data)), group_(std::move(group)), gen_(make_generator(0)) {
  spec_ = normalise_training_spec(spec_in, data_ != nullptr);
  config_ = TrainConfig::from_spec(spec_["train"]);
  // Fixing the micro-batch size in the stored spec keeps the trajectory when resuming on another rank count.
  if (config_.micro_batch == 0) config_.micro_batch = std::max<int64_t>(1, config_.batch / world_size());
  if (!data_) data_ = make_dataset(spec_["data"]);
  const Json shape = data_->sample_shape();
  if (spec_.contains("sample_shape") && spec_["sample_shape"] != shape)
    throw Error("the data " + data_->spec().dump() + " have samples of shape " + shape.dump() + " but the spec expects " +
                spec_["sample_shape"].dump());
  sde_ = make_sde(spec_["sde"]);
  objective_ = make_objective(spec_["objective"]);
  objective_->bind(*sde_);  // refuses an SDE it cannot train on; resolves the "auto" options for it
  model_ = make_model(spec_["model"], sde_, data_->sample_shape());
  ema_ = make_model(spec_["model"], sde_, data_->sample_shape());
  copy_weights(*ema_, *model_);
  for (auto& p : ema_->parameters()) p.set_requires_grad(false);
  ema_->eval();  // the EMA copy is only ever evaluated: no dropout
  lr_schedule_ = config_.make_lr_schedule();
  ema_schedule_ = config_.make_ema_schedule();
  for (double sigma_rel : config_.ema_posthoc) {
    posthoc_gamma_.push_back(sigma_rel_to_gamma(sigma_rel));
    auto m = make_model(spec_["model"], sde_, data_->sample_shape());
    copy_weights(*m, *model_);
    for (auto& p : m->parameters()) p.set_requires_grad(false);
    m->eval();
    posthoc_.push_back(std::move(m));
  }
  // Store the fully resolved parts so a checkpoint rebuilds exactly this run.
  spec_["data"] = data_->spec();
  spec_["sample_shape"] = shape;
  spec_["sde"] = sde_->spec();
  spec_["model"] = model_->spec();
  spec_["objective"] = objective_->full_spec();
  spec_["train"] = config_.to_spec();
  model_weights_ = weight_list(*model_);
  ema_weights_ = weight_list(*ema_);
  for (auto& m : posthoc_) posthoc_weights_.push_back(weight_list(*m));
  optimizer_ = std::make_unique<Adam>(model_weights_.params, Adam::Options{config_.lr});
  gen_ = make_generator(config_.seed);
  micro_batches();  // validates batch / micro_batch / world size now rather than at the first step
  if (group_) {
    group_->broadcast_module(*model_);
    group_->broadcast_module(*ema_);
    for (auto& m : posthoc_) group_->broadcast_module(*m);
  }
  checkpoint_every_ = config_.checkpoint_every;
}

void Trainer::set_checkpointing(const std::string& path, int64_t every, int64_t keep_last) {
  if (every < 0) throw Error("train: checkpoints every " + std::to_string(every) + " steps? use a count >= 0");
  if (keep_last < 0) throw Error("train: --keep-last " + std::to_string(keep_last) + "? use a count >= 0 (0: keep all)");
  if (keep_last > 0 && every == 0) throw Error("train: --keep-last needs periodic checkpoints (--checkpoint-every N)");
  checkpoint_path_ = path;
  checkpoint_every_ = every;
  keep_last_ = keep_last;
}

int64_t Trainer::micro_batches() const {
  const int64_t world = world_size();
  const int64_t micro = config_.micro_batch > 0 ? config_.micro_batch : config_.batch / world;
  if (micro <= 0 || config_.batch % micro != 0)
    throw Error("train: batch " + std::to_string(config_.batch) + " must be a multiple of micro_batch " + std::to_string(micro));
  const int64_t chunks = config_.batch / micro;
  if (chunks % world != 0)
    throw Error("train: the " + std::to_string(chunks) + " micro-batches of a step must divide evenly over " +
                std::to_string(world) + " ranks; choose batch, micro_batch and the rank count to match");
  return chunks;
}

namespace {
// splitmix64: well-mixed, distinct streams for every (seed, step, micro-batch).
uint64_t stream_seed(uint64_t seed, int64_t step, int64_t chunk) {
  uint64_t z = seed ^ (0x9E3779B97F4A7C15ull * static_cast<uint64_t>(step + 1)) ^ (0xBF58476D1CE4E5B9ull * static_cast<uint64_t>(chunk + 1));
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
}  // namespace

StepResult Trainer::step() {
  const int64_t chunks = micro_batches(), micro = config_.batch / chunks;
  optimizer_->zero_grad();
  const auto device = model_weights_.params.empty() ? at::Device(at::kCPU) : model_weights_.params.front().device();
  at::Tensor loss_acc;  // summed where the loss is: one read-back a step, after the last micro-batch
  for (int64_t c = rank(); c < chunks; c += world_size()) {
    // Every (step, micro-batch) has a stream of its own: reseeding gives the numbers of a fresh
    // generator with that seed. Data are drawn on the CPU; on a GPU the objective's noise comes from
    // a generator on the GPU, so a step needs no host round trip until the loss is read below.
    const uint64_t seed = stream_seed(config_.seed, step_, c);
    gen_.set_current_seed(seed);
    if (!device.is_cpu()) {
      if (!noise_gen_.defined() || noise_gen_.device() != device) noise_gen_ = make_generator(0, device);
      noise_gen_.set_current_seed(seed ^ 0x6E6F697365ull);
    }
    at::Generator& noise = device.is_cpu() ? gen_ : noise_gen_;
    auto x0 = data_->sample(micro, gen_).to(device, /*non_blocking=*/true);
    at::Tensor loss;
    {  // bf16: the forward pass and the loss under autocast; backward outside it, into fp32 weights
      AutocastGuard autocast(device.type(), config_.precision == "bf16");
      loss = objective_->loss(*model_, *sde_, x0, noise).loss.to(at::kFloat);
    }
    auto detached = loss.detach().to(at::kDouble);
    loss_acc = loss_acc.defined() ? loss_acc + detached : detached;
    (chunks == 1 ? loss : loss / static_cast<double>(chunks)).backward();
  }
  double loss_sum = loss_acc.item<double>();
  if (group_) {
    std::vector<at::Tensor> grads;
    for (auto& p : model_weights_.params)
      if (p.grad().defined()) grads.push_back(p.mutable_grad());
    group_->allreduce_sum(grads);
    loss_sum = group_->allreduce_sum(loss_sum);
  }
  StepResult r;
  r.loss = loss_sum / static_cast<double>(chunks);
  // Checked after the reduction so every rank stops together; the weights are left untouched.
  if (!std::isfinite(r.loss))
    throw Error("training diverged: the loss is " + std::to_string(r.loss) + " at step " + std::to_string(step_ + 1) +
                "; lower the learning rate or enable gradient clipping");
  const double clip = config_.grad_clip > 0 ? config_.grad_clip : std::numeric_limits<double>::infinity();
  r.grad_norm = clip_grad_norm(model_weights_.params, clip);
  r.lr = lr_schedule_.at(step_);
  optimizer_->set_lr(r.lr);
  if (config_.weight_decay > 0) {
    torch::NoGradGuard no_grad;
    at::_foreach_mul_(model_weights_.params, 1 - r.lr * config_.weight_decay);
  }
  optimizer_->step();
  ema_update(ema_weights_, model_weights_, ema_schedule_.at(step_));
  for (size_t k = 0; k < posthoc_.size(); ++k) ema_update(posthoc_weights_[k], model_weights_, power_ema_beta(posthoc_gamma_[k], step_ + 1));
  ++step_;
  if (!posthoc_.empty() && step_ % config_.ema_snapshot_every == 0) {
    EmaSnapshot snap;
    snap.step = step_;
    for (const auto& list : posthoc_weights_) {
      std::vector<at::Tensor> w;
      for (const auto& p : list.params) w.push_back(p.detach().clone());
      for (const auto& b : list.buffers) w.push_back(b.detach().clone());
      snap.weights.push_back(std::move(w));
    }
    snapshots_.push_back(std::move(snap));
  }
  last_loss_ = r.loss;
  return r;
}

void Trainer::run(int64_t n, const ProgressFn& progress, const std::function<void(const Json&)>& metrics) {
  if (n <= 0) throw Error("train: the number of steps must be positive, got " + std::to_string(n));
  using clock = std::chrono::steady_clock;
  auto window_start = clock::now();
  int64_t window_steps = 0;
  double loss_sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    auto r = step();
    loss_sum += r.loss;
    ++window_steps;
    const bool last = i + 1 == n;
    if (rank() == 0 && !checkpoint_path_.empty() && checkpoint_every_ > 0 && step_ % checkpoint_every_ == 0) {
      if (keep_last_ > 0) {  // rank 0 alone writes
        save(numbered_checkpoint_path(checkpoint_path_, step_));
        prune_numbered_checkpoints(checkpoint_path_, keep_last_);
      } else {
        save(checkpoint_path_);
      }
    }
    if (rank() == 0 && step_hook_) step_hook_(*this);
    if (metrics && (step_ % config_.log_every == 0 || last)) {
      const double secs = std::chrono::duration<double>(clock::now() - window_start).count();
      Json line{{"step", step_}, {"loss", loss_sum / window_steps}, {"lr", r.lr}, {"grad_norm", r.grad_norm},
                {"steps_per_s", window_steps / std::max(secs, 1e-9)},
                {"samples_per_s", window_steps * config_.batch / std::max(secs, 1e-9)}};
      // Image runs report the same rate as images/s.
      if (data_->sample_shape().size() == 3) line["images_per_s"] = line["samples_per_s"];
      metrics(line);
      window_start = clock::now();
      window_steps = 0;
      loss_sum = 0;
    }
    report(progress, i + 1, n);
  }
}

}  // namespace scorekit
