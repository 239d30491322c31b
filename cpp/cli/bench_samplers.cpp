// `scorekit bench --samplers`: each sampler on the exact-score oracle of an 8-D mixture (its
// sliced-W2 noise floor, 0.02-0.06 at 10k samples, is far lower than the 2-D mixture's). For each,
// the smallest step count of a doubling ladder (for ode_rk45: the loosest tolerance of a ladder)
// whose samples come within a fixed sliced-W2 distance of the data, with its NFE and wall time;
// then the throughput of PF-ODE likelihood evaluation and its error against the exact log p_0.
#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "data/gaussian_mixture.hpp"
#include "eval/metrics.hpp"
#include "likelihood/likelihood.hpp"
#include "samplers/sampler.hpp"
#include "train/scorer.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit::cli {

namespace {

// The 2-D mixture of tests/data/mixture2d.json and the 8-D one of tests/data/mixture8d.json.
const Json kMixture2d = {{"name", "mixture"},
                         {"weights", {0.25, 0.25, 0.2, 0.3}},
                         {"means", {{-2.0, -2.0}, {2.0, -2.0}, {-2.0, 2.0}, {2.0, 2.0}}},
                         {"stds", {{0.4, 0.4}, {0.3, 0.5}, {0.5, 0.3}, {0.4, 0.4}}}};
const Json kMixture8d = {{"name", "mixture"},
                         {"weights", {0.3, 0.45, 0.25}},
                         {"means", {{1.5, -1.0, 0.5, 2.0, -0.5, 1.0, 0.0, -1.5},
                                    {-1.5, 1.0, -0.5, -1.0, 1.5, 0.0, 1.0, 1.0},
                                    {0.5, 1.5, 1.5, 0.0, -1.5, -1.5, -1.0, 0.5}}},
                         {"stds", {{0.5, 0.4, 0.6, 0.5, 0.3, 0.5, 0.4, 0.6}, {0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45}, {0.3, 0.6, 0.5, 0.4, 0.5, 0.3, 0.6, 0.4}}}};

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Json bench_samplers_command(Args& a) {
  const bool quick = a.flag("quick");
  const std::string sde = a.text("sde", "vp");
  if (a.flag("nfe-table")) {
    const std::string data = a.required("data");
    const int64_t n = a.positive("n", 10000);
    a.finish("bench --samplers --nfe-table");
    return bench_nfe_table(data, sde, n);
  }
  const double threshold = a.number("threshold", 0.08);
  a.finish("bench --samplers");
  const int64_t n = quick ? 2000 : 10000, projections = 500;
  auto oracle = make_oracle_scorer(kMixture8d, Json{{"name", sde}});
  const auto& mix = *oracle.data->mixture();
  auto gen = make_generator(0);
  auto data = mix.sample(n, gen), reference = mix.sample(n, gen);
  auto sw = [&](const at::Tensor& x) {
    auto g = make_generator(7);  // the same projections for every sampler
    return sliced_wasserstein(x, data, projections, g);
  };
  const double floor = sw(reference);
  std::cerr << "bench: data-vs-data sliced W2 " << floor << ", threshold " << threshold << "\n";

  Json table = Json::array();
  for (const auto& name : sampler_names()) {
    std::vector<Json> ladder;
    if (name == "ode_rk45") {
      for (double tol : {1e-1, 1e-2, 1e-3, 1e-4, 1e-5}) ladder.push_back({{"name", name}, {"rtol", tol}, {"atol", tol}});
    } else {
      for (int64_t steps = 2; steps <= 512; steps *= 2) ladder.push_back({{"name", name}, {"steps", steps}});
    }
    Json row = {{"sampler", name}, {"reached", false}};
    for (const auto& spec : ladder) {
      auto sampler = make_sampler(spec);
      auto g = make_generator(1);
      auto t0 = std::chrono::steady_clock::now();
      auto out = sampler->sample(*oracle.model, *oracle.sde, n, g);
      const double secs = seconds(t0), d = sw(out.x);
      row = {{"sampler", name}, {"spec", sampler->spec()}, {"nfe", out.nfe}, {"seconds", secs},
             {"sliced_wasserstein", d}, {"mmd", mmd(out.x.slice(0, 0, 2000), data.slice(0, 0, 2000))},
             {"reached", d <= threshold}};
      if (d <= threshold) break;
    }
    std::cerr << "bench: " << row.dump() << "\n";
    table.push_back(row);
  }

  Json likelihood = Json::array();
  for (const auto& [label, mspec] : {std::pair<const char*, Json>{"2d", kMixture2d}, {"8d", kMixture8d}}) {
    auto o = make_oracle_scorer(mspec, Json{{"name", sde}});
    const auto& m = *o.data->mixture();
    auto g = make_generator(3);
    const int64_t points = quick ? 200 : 1000;
    auto x = m.sample(points, g);
    auto truth = -m.log_prob0(x).to(at::kDouble);
    for (const Json& opt : {Json{{"divergence", "exact"}}, Json{{"divergence", "hutchinson"}, {"probes", 1}}}) {
      auto t0 = std::chrono::steady_clock::now();
      auto r = negative_log_likelihood(*o.model, *o.sde, x, opt, g);
      const double secs = seconds(t0);
      Json row = {{"data", label}, {"options", opt}, {"n", points}, {"nfe", r.nfe}, {"points_per_s", points / secs},
                  {"mean_nll_nats", r.mean_nats}, {"exact_mean_nll_nats", truth.mean().item<double>()},
                  {"mean_abs_error_nats", (r.nll - truth).abs().mean().item<double>()}};
      std::cerr << "bench: " << row.dump() << "\n";
      likelihood.push_back(row);
    }
  }
  return {{"model", "oracle"}, {"data", "8-D mixture (tests/data/mixture8d.json)"}, {"sde", sde}, {"n", n}, {"threshold", threshold}, {"data_floor", floor},
          {"threads", at::get_num_threads()}, {"samplers", table}, {"likelihood", likelihood}};
}

}  // namespace scorekit::cli
