// Figures for docs/nonlinear.md (not a test): on a 2-D product mixture through langevin_mog,
// train local-DSM, ISM-Hutchinson and LCSS with the same model, batch, learning rate and seed,
// and record the score error against the Fokker–Planck reference versus training wall-clock time.
// At the end: sample quality from the non-Gaussian prior (sliced W2, MMD) and the PF-ODE NLL.
// Usage: scorekit_nonlinear_compare [steps=3000] [eval_every=250] [local_dsm lambda, or 0 for all
//        three objectives at the default λ] > curves.csv
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "product_mixture.hpp"
#include "data/gaussian_mixture.hpp"
#include "eval/metrics.hpp"
#include "eval/reference_marginals.hpp"
#include "likelihood/likelihood.hpp"
#include "samplers/sampler.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

int main(int argc, char** argv) {
  const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 3000;
  const int64_t every = argc > 2 ? std::atoll(argv[2]) : 250;
  const double lambda = argc > 3 ? std::atof(argv[3]) : 0.0;
  std::vector<Json> objectives = {
      {{"name", "local_dsm"}},
      {{"name", "ism_hutchinson"}, {"weighting", "none"}},
      {{"name", "lcss"}, {"weighting", "none"}, {"sigma_mode", "absolute"}, {"sigma", 0.05}}};
  if (lambda > 0) objectives = {Json{{"name", "local_dsm"}, {"lambda", lambda}}};
  // 100 Euler–Maruyama steps for the training inputs (the default 400 costs 4x per step).
  const Json sde_spec = {{"name", "langevin_mog"}, {"steps", 100}};
  auto sde = make_sde(sde_spec);
  ReferenceMarginals ref(*sde, bench::product_mixture_pdf1, -5, 5, 2000, {0.02, 0.1, 0.25, 0.5, 0.75, 1.0});
  std::printf("objective,step,train_seconds,score_mse,relative\n");
  std::vector<std::string> summary;
  for (const auto& obj : objectives) {
    Json spec = {{"data", bench::product_mixture()}, {"sde", sde_spec},
                 {"model", {{"name", "mlp"}, {"hidden", 128}, {"depth", 3}}}, {"objective", obj},
                 {"train", {{"batch", 256}, {"lr", 2e-3}, {"seed", 0}, {"ema_decay", 0.995}, {"warmup", 100}}}};
    Trainer trainer(spec);
    auto gen = make_generator(42);
    double seconds = 0;
    auto e = ref.score_error(trainer.ema_model(), 2000, 2, gen);
    std::printf("%s,0,0,%.5f,%.5f\n", obj["name"].get<std::string>().c_str(), e.mse, e.relative);
    for (int64_t done = 0; done < steps; done += every) {
      auto t0 = std::chrono::steady_clock::now();
      trainer.run(every);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      e = ref.score_error(trainer.ema_model(), 2000, 2, gen);
      std::printf("%s,%lld,%.2f,%.5f,%.5f\n", obj["name"].get<std::string>().c_str(), (long long)(done + every), seconds,
                  e.mse, e.relative);
      std::fflush(stdout);
    }
    // Samples start from the MoG prior (the em sampler draws sde.prior_sample).
    const auto& mix = *trainer.data().mixture();
    auto samples = make_sampler(Json{{"name", "em"}, {"steps", 500}})->sample(trainer.ema_model(), trainer.sde(), 5000, gen).x;
    auto data = mix.sample(5000, gen);
    const double sw = sliced_wasserstein(samples, data, 200, gen), floor = sliced_wasserstein(mix.sample(5000, gen), data, 200, gen);
    auto test = mix.sample(500, gen);
    auto nll = negative_log_likelihood(trainer.ema_model(), trainer.sde(), test, Json{{"divergence", "exact"}}, gen);
    const double true_nll = -mix.log_prob0(test).mean().item<double>();
    char line[512];
    std::snprintf(line, sizeof line, "%s: %.1f s for %lld steps; sliced W2 %.4f (data-vs-data %.4f); NLL %.4f nats (data density %.4f, nfe %lld)",
                  obj["name"].get<std::string>().c_str(), seconds, (long long)steps, sw, floor, nll.mean_nats, true_nll,
                  (long long)nll.nfe);
    summary.push_back(line);
    std::fprintf(stderr, "%s\n", line);
    if (obj["name"] == "local_dsm") trainer.save("nonlinear_compare_local_dsm.ckpt");
  }
  for (const auto& s : summary) std::printf("# %s\n", s.c_str());
}
