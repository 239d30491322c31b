#include "cli/bench_objectives.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "objectives/objective.hpp"
#include "train/trainer.hpp"

namespace scorekit::cli {

namespace {

// Two components at ±1 in every coordinate: mixture data of any dimension with no file.
Json mixture_of_dim(int d) {
  Json plus = Json::array(), minus = Json::array();
  for (int i = 0; i < d; ++i) {
    plus.push_back(1.0);
    minus.push_back(-1.0);
  }
  return {{"name", "mixture"}, {"weights", {0.5, 0.5}}, {"means", {plus, minus}}, {"stds", {0.5, 0.5}}};
}

// Seconds per step, timing at least `min_steps` steps and at least `budget_s` seconds.
double seconds_per_step(Trainer& trainer, int64_t min_steps, double budget_s) {
  trainer.run(3);  // warm-up: allocator and thread pool
  int64_t steps = 0;
  auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (steps < min_steps || elapsed < budget_s) {
    trainer.step();
    ++steps;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return elapsed / steps;
}

}  // namespace

Json bench_objectives(bool quick) {
  const int64_t batch = 256;
  Json rows = Json::array();
  for (int d : {2, 100}) {
    double dsm = 0;
    for (const auto& name : objective_names()) {
      Trainer trainer(Json{{"data", mixture_of_dim(d)}, {"sde", "vp"}, {"model", {{"name", "mlp"}}},
                           {"objective", {{"name", name}}}, {"train", {{"batch", batch}}}});
      const double sps = seconds_per_step(trainer, quick ? 3 : 10, quick ? 0.2 : 1.5);
      if (name == "dsm") dsm = sps;
      rows.push_back({{"dim", d}, {"objective", name}, {"ms_per_step", 1e3 * sps}, {"ratio_to_dsm", sps / dsm}});
      std::fprintf(stderr, "bench objectives: d=%-3d %-15s %8.2f ms/step  %6.2fx dsm\n", d, name.c_str(), 1e3 * sps, sps / dsm);
    }
  }
  return {{"model", "mlp"}, {"sde", "vp"}, {"batch", batch}, {"threads", at::get_num_threads()}, {"objectives", rows}};
}

}  // namespace scorekit::cli
