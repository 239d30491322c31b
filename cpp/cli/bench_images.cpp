#include "cli/bench_images.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "data/fashion_mnist.hpp"
#include "likelihood/likelihood.hpp"
#include "train/scorer.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit::cli {

namespace {

// One U-Net for every objective, the README demo's: 28×28 inputs, 16–32–32 channels, attention at 7×7.
Json bench_unet() {
  return {{"name", "unet"}, {"channels", 16}, {"channel_mult", {1, 2, 2}}, {"num_res_blocks", 1},
          {"attention_resolutions", {7}}};
}

// A field of /proc/self/status in MiB ("VmHWM": peak resident set, "VmRSS": current).
double status_mib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  return -1;
}

// The child: builds one trainer, times `steps` steps after one warm-up step, reports memory.
Json run_child(const Json& data, const Json& objective, int64_t batch, int64_t steps) {
  Trainer trainer(Json{{"data", data}, {"sde", "vp"}, {"model", bench_unet()}, {"objective", objective},
                       {"train", {{"batch", batch}, {"warmup", 0}}}});
  const double rss_before = status_mib("VmRSS");
  trainer.run(1);
  auto t0 = std::chrono::steady_clock::now();
  trainer.run(steps);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double peak = status_mib("VmHWM");
  // STF with a reference pool larger than the regressed minibatch trains `minibatch` images a step.
  const int64_t regressed = objective.value("minibatch", int64_t{0}) > 0 ? objective["minibatch"].get<int64_t>() : batch;
  return {{"images_per_s", steps * regressed / secs}, {"seconds_per_step", secs / steps},
          {"peak_rss_mib", peak}, {"peak_over_setup_mib", peak - rss_before}};
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs this executable as a child for one configuration and parses its last stdout line.
Json spawn(const std::string& data, const Json& objective, int64_t batch, int64_t steps) {
  // Resolved here: inside popen's shell, /proc/self/exe would be the shell.
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string cmd = quote(self) + " bench --images --child 1 --data " + quote(data) + " --objective " +
                          quote(objective.dump()) + " --batch " + std::to_string(batch) + " --steps " +
                          std::to_string(steps) + " --threads " + std::to_string(at::get_num_threads());
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) throw Error("bench: cannot start a child process");
  std::string line, last;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      if (line.size() > 1) last = line.substr(0, line.size() - 1);
      line.clear();
    }
  }
  pclose(pipe);
  if (!line.empty()) last = line;
  try {
    return Json::parse(last);
  } catch (const std::exception&) {
    return {{"error", "child produced no result: " + last}};
  }
}

// Bits/dim of a checkpoint on the first n Fashion-MNIST test images: uniform dequantisation and
// the PF-ODE likelihood with Hutchinson's divergence (likelihood/likelihood.hpp).
Json bits_per_dim(Args& a) {
  const std::string ckpt = a.required("bpd");
  const int64_t n = a.positive("n", 64), probes = a.positive("probes", 1);
  const double tol = a.number("tol", 1e-5);
  const uint64_t seed = static_cast<uint64_t>(a.integer("seed", 0));
  a.finish("bench");
  auto scorer = load_scorer(ckpt);
  FashionMnist test(Json{{"split", "test"}, {"limit", n}});
  auto gen = make_generator(seed);
  auto t0 = std::chrono::steady_clock::now();
  auto r = negative_log_likelihood(*scorer.model, *scorer.sde, test.pixels().to(at::kFloat),
                                   Json{{"divergence", "hutchinson"}, {"probes", probes}, {"dequantize", true},
                                        {"rtol", tol}, {"atol", tol}},
                                   gen);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double se = (r.nll / (test.pixels()[0].numel() * std::log(2.0))).std().item<double>() / std::sqrt(double(n));
  return {{"checkpoint", ckpt}, {"steps_trained", scorer.step}, {"split", "test"}, {"n", n},
          {"bits_per_dim", r.bits_per_dim}, {"bits_per_dim_standard_error", se}, {"nfe", r.nfe},
          {"probes", probes}, {"tol", tol}, {"seconds", secs}};
}

}  // namespace

Json bench_images(Args& a, bool quick) {
  if (a.has("bpd")) return bits_per_dim(a);
  const std::string data_arg = a.text("data", "fashion-mnist");
  const int64_t steps = a.positive("steps", quick ? 2 : 5);
  // Enough images to draw from without paying for loading all 60k in every child.
  Json data = dataset_spec_from_arg(data_arg);
  if (data["name"] == "fashion-mnist") data["limit"] = 8192;
  if (a.integer("child", 0)) {
    const Json objective = Json::parse(a.required("objective"));
    const int64_t batch = a.positive("batch", 32);
    a.finish("bench");
    return run_child(data, objective, batch, steps);
  }
  a.finish("bench");
  Json rows = Json::array();
  for (int64_t batch : {32, 64}) {
    // STF draws its reference set from the training batch (objectives/stf.hpp): for n = 1024 and
    // 4096 the step draws n images as the reference pool and regresses `batch` of them
    // ("minibatch"), as in the STF paper's code; images/s counts the regressed images.
    const std::vector<Json> objectives = {
        {{"name", "dsm"}}, {{"name", "lcss"}}, {{"name", "fd_ssm"}}, {{"name", "ssm"}},
        {{"name", "stf"}, {"reference", batch}},
        {{"name", "stf"}, {"reference", 1024}, {"minibatch", batch}},
        {{"name", "stf"}, {"reference", 4096}, {"minibatch", batch}}};
    double dsm = 0;
    for (const auto& objective : objectives) {
      const int64_t pool = objective.value("minibatch", int64_t{0}) > 0 ? objective["reference"].get<int64_t>() : batch;
      Json r = spawn(data_arg, objective, pool, steps);
      r["objective"] = objective;
      r["batch"] = batch;
      if (r.contains("images_per_s")) {
        if (objective["name"] == "dsm") dsm = r["images_per_s"];
        if (dsm > 0) r["ratio_to_dsm"] = r["images_per_s"].get<double>() / dsm;
      }
      std::cerr << "bench: " << r.dump() << "\n";
      rows.push_back(r);
    }
  }
  return {{"model", bench_unet()}, {"sde", "vp"}, {"data", data}, {"steps_timed", steps},
          {"threads", at::get_num_threads()},
          {"memory", "peak_rss_mib: VmHWM of the child process (resident-set high-water mark, whole process); "
                     "peak_over_setup_mib: VmHWM minus VmRSS after building the trainer and loading the data"},
          {"train", rows}};
}

}  // namespace scorekit::cli
