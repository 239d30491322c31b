#include "cli/commands.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "cli/measure.hpp"
#include "cli/progress_bar.hpp"
#include "cli/scorer_args.hpp"
#include "data/gaussian_mixture.hpp"
#include "eval/image_evaluation.hpp"
#include "eval/metrics.hpp"
#include "io/checkpoint.hpp"
#include "io/npy.hpp"
#include "io/png.hpp"
#include "samplers/sampler.hpp"
#include "train/scorer.hpp"
#include "train/trainer.hpp"
#include "util/build_info.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"
#include "version.hpp"

namespace scorekit::cli {

namespace {


Json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open spec file '" + path + "'");
  try {
    return Json::parse(in);
  } catch (const std::exception& e) {
    throw Error("spec file '" + path + "' is not valid JSON: " + e.what());
  }
}

Json train_with(Args& a, ProcessGroupPtr& group);

// --sample-every: the EMA model's samples at this step, always from seed 0 so that grids of
// successive steps compare: 2-D points as a scatter plot, images as a grid, anything else as .npy.
void write_sample_grid(Trainer& t, const std::string& out_dir) {
  auto& model = t.ema_model();
  const bool images = model.sample_shape().size() == 3;
  const bool points2d = model.sample_shape() == std::vector<int64_t>{2};
  auto gen = make_generator(0, model.device());
  auto x = make_sampler(Json{{"name", "em"}, {"steps", 100}})->sample(model, t.sde(), images ? 16 : 1000, gen).x;
  char stem[64];
  std::snprintf(stem, sizeof stem, "/samples-%08lld", static_cast<long long>(t.steps_done()));
  if (points2d) write_scatter_png(out_dir + stem + ".png", x);
  else if (images) write_grid_png(out_dir + stem + ".png", x.clamp(-1, 1));
  else write_npy(out_dir + stem + ".npy", x);
}

// The image metrics' options common to `evaluate` and `train --eval-every`.
ImageEvalOptions image_eval_options(Args& a, uint64_t seed) {
  ImageEvalOptions o;
  o.classifier = a.text("classifier");
  o.cache_dir = a.text("cache-dir");
  o.data_path = a.text("data-path");
  o.metrics.seed = seed;
  o.metrics.kid_subsets = a.positive("kid-subsets", o.metrics.kid_subsets);
  o.metrics.kid_subset_size = a.positive("kid-subset-size", o.metrics.kid_subset_size);
  return o;
}

// --eval-every: the EMA model's images at this step, always n images from one seed with one sampler
// (Euler-Maruyama, a fixed step count), judged by the image metrics against the test split.
Json eval_images_now(Trainer& t, int64_t n, int64_t steps, uint64_t seed, const ImageEvalOptions& options) {
  auto& model = t.ema_model();
  auto gen = make_generator(seed, model.device());
  auto x = make_sampler(Json{{"name", "em"}, {"steps", steps}})->sample(model, t.sde(), n, gen).x;
  Json r = evaluate_images(x, options);
  for (const char* k : {"classifier", "reference", "reference_n"}) r.erase(k);
  r["sampler"] = "em";
  r["sampler_steps"] = steps;
  r["seed"] = seed;
  return r;
}

Json train(Args& a) {
  ProcessGroupPtr group;
  try {
    return train_with(a, group);
  } catch (...) {
    // Destroying a Gloo group whose peer died blocks until its own time-out; keep it alive so
    // the process can report the error and exit at once (main exits without destructors).
    static ProcessGroupPtr keep_alive;
    keep_alive = group;
    throw;
  }
}

Json train_with(Args& a, ProcessGroupPtr& group) {
  Json spec = a.has("spec") ? read_json_file(a.text("spec")) : Json::object();
  const std::string resume = a.text("resume");
  // With --resume, --data points to where the run's data file (or folder) lives now.
  const std::string relocated_data = resume.empty() ? "" : a.text("data");
  if (resume.empty() && a.has("data")) spec["data"] = dataset_spec_from_arg(a.text("data"));
  for (const char* part : {"sde", "objective", "model"})
    if (a.has(part)) spec[part] = Json{{"name", a.text(part)}};
  Json& tr = spec["train"];
  if (!tr.is_object()) tr = Json::object();
  if (a.has("batch")) tr["batch"] = a.positive("batch", 256);
  if (a.has("lr")) tr["lr"] = a.number("lr", 2e-3);
  if (a.has("seed")) tr["seed"] = a.integer("seed", 0);
  if (a.has("log-every")) tr["log_every"] = a.positive("log-every", 100);
  if (a.has("micro-batch")) tr["micro_batch"] = a.positive("micro-batch", 0);
  if (a.has("precision")) tr["precision"] = a.text("precision");
  const double dist_timeout = a.number("dist-timeout", 0);
  const std::string dist_backend = a.text("dist-backend", "auto");
  const long long keep_last = a.integer("keep-last", 0);
  const long long sample_every = a.integer("sample-every", 0);
  if (sample_every < 0) throw Error("scorekit train: --sample-every must be >= 0 (0: no sample grids)");
  const long long eval_every = a.integer("eval-every", 0);
  if (eval_every < 0) throw Error("scorekit train: --eval-every must be >= 0 (0: no image metrics during training)");
  const long long eval_n = a.positive("eval-n", 500);
  const long long eval_steps = a.positive("eval-steps", 100);
  const uint64_t eval_seed = static_cast<uint64_t>(a.integer("eval-seed", 0));
  ImageEvalOptions eval_options = image_eval_options(a, eval_seed);
  eval_options.clamp_any = true;
  const bool has_every = a.has("checkpoint-every");
  const long long every = has_every ? a.integer("checkpoint-every", 0) : 0;
  if (a.has("device")) {
    Json& model = spec["model"];
    if (model.is_string()) model = Json{{"name", model}};
    if (!model.is_object()) model = Json::object();
    if (!model.contains("name")) model["name"] = "mlp";
    model["device"] = a.text("device");
  }
  const long long steps = a.positive("steps", 2000);
  const std::string out = a.required("out");
  a.text("nproc");  // consumed by the launcher before we get here
  a.finish("train");
  const bool overrides = spec.size() > 1 || !spec["train"].empty();
  if (!resume.empty() && overrides)
    throw Error("scorekit train: --resume takes the whole spec from the checkpoint; drop --sde, --objective, "
                "--model, --batch, --lr, --seed, --micro-batch, --log-every, --precision, --device and --spec (--data PATH "
                "only says where its data file now lives)");
  if (resume.empty() && !spec.contains("data"))
    throw Error("scorekit train: missing --data (a name, FILE.npy or mixture:FILE.json)");
  if (has_every && resume.empty()) spec["train"]["checkpoint_every"] = every;

  // Launched as one rank of a job (RANK/WORLD_SIZE set, e.g. by --nproc): join the process group.
  if (std::getenv("WORLD_SIZE")) {
    auto config = DistributedConfig::from_env();
    if (dist_timeout > 0) config.timeout_s = dist_timeout;
    if (a.has("dist-backend") || config.backend.empty()) config.backend = dist_backend;
    // The backend follows the model's device: from the spec, or from the checkpoint being resumed.
    const Json model = resume.empty() ? spec.value("model", Json::object()) : checkpoint_spec(resume).value("model", Json::object());
    config.device = model.is_object() ? model.value("device", std::string("cpu")) : std::string("cpu");
    // One GPU per rank: a bare "cuda" becomes cuda:<LOCAL_RANK> (RANK when unset) on a fresh run.
    if (config.device == "cuda" && resume.empty()) {
      const char* local = std::getenv("LOCAL_RANK");
      const int gpus = std::max(1, static_cast<int>(at::getNumGPUs()));
      config.device = "cuda:" + std::to_string((local && *local ? std::atoi(local) : config.rank) % gpus);
      spec["model"]["device"] = config.device;
    }
    group = std::make_shared<ProcessGroup>(config);
  }
  const bool writer = !group || group->rank() == 0;  // rank 0 writes checkpoints and metrics
  auto t0 = clock_type::now();
  DatasetPtr data;
  if (!relocated_data.empty()) {
    data = make_dataset(relocate_dataset_spec(checkpoint_spec(resume).value("data", Json()), relocated_data));
  }
  auto trainer = resume.empty() ? std::make_unique<Trainer>(spec, group) : Trainer::from_checkpoint(resume, group, "", data);
  const std::string ckpt = out + "/checkpoint.skc";
  std::ofstream metrics;
  if (writer) {
    std::filesystem::create_directories(out);
    metrics.open(out + "/metrics.jsonl", resume.empty() ? std::ios::trunc : std::ios::app);
  }
  // --checkpoint-every also applies to a resumed run, whose spec comes from its checkpoint.
  trainer->set_checkpointing(ckpt, has_every ? every : trainer->config().checkpoint_every, keep_last);
  if (eval_every > 0 && !fmnist_shaped(trainer->ema_model().sample_shape()))
    throw Error("scorekit train: --eval-every computes image metrics on Fashion-MNIST-shaped (1, 28, 28) samples; "
                "this model's samples have another shape");
  if (sample_every > 0 || eval_every > 0)
    trainer->set_step_hook([&](Trainer& t) {
      if (!writer) return;
      if (sample_every > 0 && t.steps_done() % sample_every == 0) write_sample_grid(t, out);
      if (eval_every > 0 && t.steps_done() % eval_every == 0) {
        Json line = {{"step", t.steps_done()}, {"eval", eval_images_now(t, eval_n, eval_steps, eval_seed, eval_options)}};
        metrics << line.dump() << "\n" << std::flush;
      }
    });
  trainer->run(steps, adapting_threads(writer ? progress_bar("train") : nullptr), [&](const Json& line) {
    if (writer) metrics << line.dump() << "\n" << std::flush;
  });
  if (writer) trainer->save(ckpt);
  if (group) group->barrier();  // no rank reports success before the checkpoint exists
  return {{"checkpoint", ckpt}, {"steps", trainer->steps_done()}, {"loss", trainer->last_loss()},
          {"seconds", seconds_since(t0)}, {"metrics", out + "/metrics.jsonl"}, {"world_size", trainer->world_size()}};
}

Json sample(Args& a) {
  auto scorer = scorer_from_args(a);
  const long long n = a.positive("n", 1000);
  Json sampler_spec = {{"name", a.text("sampler", "em")}};
  if (a.has("steps")) sampler_spec["steps"] = a.positive("steps", 500);
  // σ-space samplers' options (the sampler's spec rejects them where they do not apply).
  if (a.has("schedule")) sampler_spec["schedule"] = a.text("schedule");
  if (a.has("rho")) sampler_spec["rho"] = a.positive("rho", 7);
  if (a.has("eta")) sampler_spec["eta"] = a.number("eta", 0);
  const uint64_t seed = static_cast<uint64_t>(a.integer("seed", 0));
  const std::string out = a.required("out"), png = a.text("png");
  a.finish("sample");
  auto sampler = make_sampler(sampler_spec);
  auto gen = make_generator(seed, scorer.model->device());
  auto t0 = clock_type::now();
  auto result = sampler->sample(*scorer.model, *scorer.sde, n, gen, adapting_threads(progress_bar("sample")));
  write_npy(out, result.x);
  Json r = {{"samples", out}, {"nfe", result.nfe}, {"seconds", seconds_since(t0)}};
  if (!png.empty()) {
    if (result.x.dim() == 2 && result.x.size(1) == 2) write_scatter_png(png, result.x);
    else if (result.x.dim() == 4) write_grid_png(png, result.x);
    else throw Error("--png needs 2-D points or (N, C, H, W) images");
    r["png"] = png;
  }
  return r;
}

Json score(Args& a) {
  auto scorer = scorer_from_args(a);
  auto x = read_npy(a.required("input"));
  const double t = a.number("t", 0.5);
  const std::string out = a.required("out");
  a.finish("score");
  require_finite(x, "--input");
  if (t < 0 || t > scorer.sde->T()) throw Error("--t must lie in [0, T = " + std::to_string(scorer.sde->T()) + "]");
  auto want = scorer.model->sample_shape();
  std::vector<int64_t> got(x.sizes().begin() + std::min<int64_t>(1, x.dim()), x.sizes().end());
  if (got != want) throw Error("--input points have the wrong shape for this model (dimension mismatch)");
  torch::NoGradGuard no_grad;
  auto s = scorer.model->score(x.to(scorer.model->device()), at::full({x.size(0)}, t, at::kFloat).to(scorer.model->device()));
  write_npy(out, s);
  return {{"scores", out}, {"n", x.size(0)}, {"t", t}};
}

// `evaluate --samples FILE.npy --data fashion-mnist`: an array of images against the test split.
Json evaluate_samples(Args& a) {
  const std::string file = a.required("samples");
  const std::string data = a.required("data");
  const uint64_t seed = static_cast<uint64_t>(a.integer("seed", 0));
  ImageEvalOptions options = image_eval_options(a, seed);
  a.finish("evaluate");
  if (data != "fashion-mnist") unknown_name("--data for evaluate --samples", data, {"fashion-mnist"});
  Json r = evaluate_images(read_npy(file), options);
  r["samples"] = file;
  return r;
}

Json evaluate(Args& a) {
  if (a.has("samples")) {
    if (a.has("checkpoint")) throw Error("scorekit evaluate: give --checkpoint or --samples, not both");
    return evaluate_samples(a);
  }
  auto scorer = load_scorer(a.required("checkpoint"), a.text("device"), a.number("ema-sigma-rel", 0));
  const long long n = a.positive("n", 2000);
  const uint64_t seed = static_cast<uint64_t>(a.integer("seed", 0));
  Json sampler_spec = {{"name", a.text("sampler", "em")}, {"steps", a.positive("steps", 500)}};
  ImageEvalOptions image_options = image_eval_options(a, seed);
  image_options.clamp_any = true;  // a model's samples, whatever their range
  a.finish("evaluate");
  if (!scorer.data) throw Error("evaluate needs the training data, which this checkpoint does not name");
  auto noise = make_generator(seed, scorer.model->device());
  auto samples = make_sampler(sampler_spec)->sample(*scorer.model, *scorer.sde, n, noise, adapting_threads(progress_bar("evaluate")));
  auto gen = make_generator(seed);  // data draws and metric projections: CPU
  auto data = scorer.data->sample(n, gen);
  auto reference = scorer.data->sample(n, gen);
  Json r = {{"sliced_wasserstein", sliced_wasserstein(samples.x, data, 256, gen)},
            {"data_sliced_wasserstein", sliced_wasserstein(reference, data, 256, gen)},
            {"n", n}, {"nfe", samples.nfe}, {"steps_trained", scorer.step}};
  // File or array data: compared with the reference sample the checkpoint carries.
  if (scorer.data->spec().value("name", "") == "reference") r["reference_points"] = scorer.data->spec()["points"];
  // The mixture's analytic score holds only under affine SDEs (nonlinear: eval/reference_marginals).
  if (const auto* mix = scorer.data->mixture(); mix && scorer.sde->is_affine()) r["score_mse"] = score_mse(*scorer.model, *scorer.sde, *mix, n, gen);
  // Fashion-MNIST-shaped images: fd, kid, kid_std, precision, recall and classes against the test split.
  if (fmnist_shaped(scorer.model->sample_shape())) {
    Json images = evaluate_images(samples.x, image_options);
    for (auto& [key, value] : images.items())
      if (key != "n") r[key] = value;
  }
  return r;
}

}  // namespace

Json run_command(const std::string& command, Args& args) {
  if (command == "train") return train(args);
  if (command == "sample") return sample(args);
  if (command == "score") return score(args);
  if (command == "evaluate") return evaluate(args);
  if (command == "bench") return bench_command(args);
  if (command == "nll") return nll_command(args);
  if (command == "train-classifier") return train_classifier_command(args);
  if (command == "version") {
    args.finish("version");
    return {{"version", SCOREKIT_VERSION_STRING}};
  }
  if (command == "info") {
    args.finish("info");
    return build_info();
  }
  unknown_name("command", command, {"train", "sample", "score", "evaluate", "bench", "nll", "train-classifier", "info", "version"});
}

}  // namespace scorekit::cli
