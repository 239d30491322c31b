// `scorekit bench --cifar`: the objectives on a CIFAR-sized U-Net (3×32×32, DDPM's CIFAR-10
// layout, ~35 M parameters) at batch 128 on one device, for GPU runs (scripts/gpu_check.sh).
// Every size is a flag, so a small version runs on a CPU.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "cli/bench_device.hpp"
#include "cli/measure.hpp"
#include "io/npy.hpp"
#include "samplers/sampler.hpp"
#include "train/trainer.hpp"
#include "util/device_memory.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit::cli {

namespace {


}  // namespace

Json bench_device(Args& a) {
  const std::string device_name = a.text("device", "cpu");
  const int64_t batch = a.positive("batch", 128), steps = a.positive("steps", 10);
  const int64_t channels = a.positive("channels", 128), side = a.positive("side", 32);
  const int64_t stf_n = a.positive("stf-n", 4096), sample_n = a.positive("sample-n", 64);
  const int64_t sample_steps = a.positive("sample-steps", 50);
  const std::string out = a.text("out");
  a.finish("bench");
  const at::Device device = parse_device(device_name);

  // Random images stand in for CIFAR-10 (no network here): speed and memory do not depend on content.
  const auto dir = std::filesystem::temp_directory_path() / ("scorekit-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string data_path = (dir / "images.npy").string();
  auto gen = make_generator(0);
  write_npy(data_path, at::rand({std::max<int64_t>(stf_n, batch), 3, side, side}, gen) * 2 - 1);

  const Json unet = {{"name", "unet"}, {"channels", channels}, {"channel_mult", {1, 2, 2, 2}}, {"num_res_blocks", 2},
                     {"attention_resolutions", {side / 2}}, {"dropout", 0.1}, {"device", device_name}};
  const std::vector<Json> objectives = {{{"name", "dsm"}}, {{"name", "lcss"}}, {{"name", "fd_ssm"}}, {{"name", "ssm"}},
                                        {{"name", "stf"}, {"reference", stf_n}, {"minibatch", batch}}};
  Json rows = Json::array(), sampling = Json::array();
  int64_t parameters = 0;
  double dsm_rate = 0;
  try {
    for (const auto& objective : objectives) {
      // STF draws its reference pool as the batch and regresses `minibatch` of it (objectives/stf.hpp).
      const int64_t pool = objective.contains("minibatch") ? stf_n : batch;
      Trainer trainer(Json{{"data", {{"name", "npy"}, {"path", data_path}}}, {"sde", "vp"}, {"model", unet},
                           {"objective", objective}, {"train", {{"batch", pool}, {"warmup", 0}}}});
      parameters = parameter_count(trainer.model());
      trainer.run(1);  // warm-up: allocator, cuDNN/oneDNN algorithm choice
      reset_peak_memory(device);
      auto t0 = clock_type::now();
      trainer.run(steps);  // each step reads its loss on the host, so the clock sees finished work
      const double secs = seconds_since(t0);
      Json r = {{"objective", objective}, {"images_per_s", steps * batch / secs}, {"seconds_per_step", secs / steps},
                {"peak_memory_mib", peak_memory_mib(device)}};
      if (objective["name"] == "dsm") dsm_rate = r["images_per_s"];
      if (dsm_rate > 0) r["ratio_to_dsm"] = r["images_per_s"].get<double>() / dsm_rate;
      std::cerr << "bench: " << r.dump() << "\n";
      rows.push_back(r);
    }
    Trainer trainer(Json{{"data", {{"name", "npy"}, {"path", data_path}}}, {"sde", "vp"}, {"model", unet}});
    for (const char* name : {"em", "ode_heun", "edm_heun"}) {
      auto sampler = make_sampler(Json{{"name", name}, {"steps", sample_steps}});
      auto noise = make_generator(1, device);
      reset_peak_memory(device);
      auto t0 = clock_type::now();
      auto result = sampler->sample(trainer.ema_model(), trainer.sde(), sample_n, noise);
      const double secs = seconds_since(t0);
      sampling.push_back({{"sampler", name}, {"n", sample_n}, {"steps", sample_steps}, {"nfe", result.nfe},
                          {"images_per_s", sample_n / secs}, {"evaluations_per_s", sample_n * result.nfe / secs},
                          {"peak_memory_mib", peak_memory_mib(device)}});
      std::cerr << "bench: " << sampling.back().dump() << "\n";
    }
  } catch (...) {
    std::filesystem::remove_all(dir);
    throw;
  }
  std::filesystem::remove_all(dir);
  Json result = {{"device", device.str()}, {"model", unet}, {"parameters", parameters}, {"image", {3, side, side}},
                 {"batch", batch}, {"steps_timed", steps}, {"sde", "vp"}, {"threads", at::get_num_threads()},
                 {"memory", device.is_cuda() ? "peak_memory_mib: CUDA caching allocator's peak allocated bytes per row"
                                             : "peak_memory_mib: process VmHWM (resident-set high-water mark)"},
                 {"train", rows}, {"sampling", sampling}};
  if (!out.empty()) {
    std::ofstream f(out);
    if (!f) throw Error("bench: cannot write '" + out + "'");
    f << result.dump(2) << "\n";
  }
  return result;
}

}  // namespace scorekit::cli
