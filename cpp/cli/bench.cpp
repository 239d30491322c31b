// `scorekit bench`: throughput figures measured in one run, reported as rates and ratios.
#include <chrono>
#include <iostream>

#include "cli/bench_device.hpp"
#include "cli/bench_objectives.hpp"
#include "cli/bench_images.hpp"
#include "cli/bench_spec.hpp"
#include "cli/commands.hpp"
#include "samplers/sampler.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit::cli {

namespace {

double time_steps(Trainer& trainer, int64_t steps) {
  trainer.run(5);  // warm-up: allocator and thread pool
  auto t0 = std::chrono::steady_clock::now();
  trainer.run(steps);
  return steps / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Json bench_command(Args& a) {
  if (a.flag("samplers")) return bench_samplers_command(a);
  if (a.flag("cifar")) return bench_device(a);
  if (a.has("spec")) return bench_spec(a);
  if (a.has("sgemm")) return bench_sgemm(a);
  const bool quick = a.flag("quick");
  if (a.flag("objectives")) {
    a.finish("bench");
    return bench_objectives(quick);
  }
  if (a.flag("images")) return bench_images(a, quick);
  const std::string data = a.text("data", "swissroll");
  const std::string device = a.text("device", "cpu");
  a.finish("bench");
  Json training = Json::array();
  double base = 0;
  for (int64_t batch : {256, 1024, 4096}) {
    Trainer trainer(Json{{"data", dataset_spec_from_arg(data)}, {"sde", "vp"}, {"model", {{"name", "mlp"}, {"device", device}}},
                         {"objective", "dsm"}, {"train", {{"batch", batch}}}});
    const int64_t steps = quick ? 10 : std::max<int64_t>(20, 200 * 256 / batch);
    const double sps = time_steps(trainer, steps);
    if (!base) base = sps;
    training.push_back({{"batch", batch}, {"steps_per_s", sps}, {"samples_per_s", sps * batch},
                        {"step_time_ratio_to_batch256", base / sps}});
    std::cerr << "bench: train batch " << batch << ": " << sps << " steps/s\n";
  }
  Trainer trainer(Json{{"data", dataset_spec_from_arg(data)}, {"sde", "vp"}, {"model", {{"name", "mlp"}, {"device", device}}}});
  Json sampling = Json::array();
  for (const char* name : {"em", "ode_euler"}) {
    const int64_t n = quick ? 1000 : 10000, steps = quick ? 20 : 100;
    auto sampler = make_sampler(Json{{"name", name}, {"steps", steps}});
    auto gen = make_generator(0, trainer.ema_model().device());
    auto t0 = std::chrono::steady_clock::now();
    auto out = sampler->sample(trainer.ema_model(), trainer.sde(), n, gen);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    sampling.push_back({{"sampler", name}, {"n", n}, {"steps", steps}, {"nfe", out.nfe},
                        {"samples_per_s", n / secs}, {"evaluations_per_s", n * out.nfe / secs}});
  }
  return {{"model", "mlp"}, {"objective", "dsm"}, {"data", data}, {"device", device}, {"threads", at::get_num_threads()},
          {"train", training}, {"sampling", sampling}};
}

}  // namespace scorekit::cli
