// Figures for docs/nonlinear.md and docs/objectives.md (not a test): score error per t of short,
// identical training runs that differ in one objective setting each.
//
//   scorekit_objective_study local_dsm [steps=400] [label filter]  > local_dsm.csv
//     2-D product mixture through langevin_mog (100 Euler steps), truth from the Fokker–Planck
//     reference: local-DSM over λ ∈ {0.01, 0.03, 0.1, 0.3} with and without gradient clipping, an
//     oracle-target local-DSM (the same y_t, regressed onto the reference score), local-DSM with
//     the g2_integral weighting, ISM-Hutchinson with Rademacher and Gaussian probes and weightings.
//   scorekit_objective_study lcss [steps=400]  > lcss.csv
//     4-cluster 2-D mixture through VP, truth from the mixture's exact score: DSM, exact ISM, and
//     LCSS with K ∈ {1, 4, 16} draws, with and without antithetic pairs, Gaussian and sphere probes.
//   scorekit_objective_study fd_ssm [steps=400]  > fd_ssm.csv
//     the same mixture through VE and VP: FD-SSM with an absolute radius 0.1 against a radius of
//     0.1·σ_t, SSM-VR for reference.
//   scorekit_objective_study pool [steps=400]  > pool.csv
//     the path pool's speed-up: DSM on VP against local-DSM, ISM-Hutchinson, ISM and LCSS on the
//     default langevin_mog with and without the pool (default MLP, batch 512).
//
// Each run: MLP 64×2, batch 128, lr 2e-3, warm-up 50, seed 0 (or the fourth argument), EMA 0.99;
// the error is the EMA model's E‖s_θ − ∇log p_t‖²/E‖∇log p_t‖² at each listed t (2000 draws of
// x_t ~ p_t), and ms/step the training time per step measured in the same process (ratios to the
// first row are the figures to compare; the machine may be shared).
#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "product_mixture.hpp"
#include "data/gaussian_mixture.hpp"
#include "eval/reference_marginals.hpp"
#include "objectives/local_dsm.hpp"
#include "train/trainer.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;

namespace {

Json four_clusters() {
  return Json::parse(R"({"name": "mixture", "weights": [0.25, 0.25, 0.2, 0.3],
    "means": [[-2.0, -2.0], [2.0, -2.0], [-2.0, 2.0], [2.0, 2.0]],
    "stds": [[0.4, 0.4], [0.3, 0.5], [0.5, 0.3], [0.4, 0.4]]})");
}

const std::vector<double> kTimes = {0.01, 0.03, 0.1, 0.3, 0.6, 1.0};
std::string g_filter;  // only runs whose label contains it (the optional third argument)
uint64_t g_seed = 0;   // the training seed of every run (the optional fourth argument)
bool selected(const std::string& label) { return label.find(g_filter) != std::string::npos; }

// The reference score at any t in [first, last] of a dense time grid: linear in t between grid times.
class DenseReference {
 public:
  DenseReference(const Sde& sde, std::vector<double> grid)
      : ref_(sde, bench::product_mixture_pdf1, -6, 6, 2000, grid), grid_(std::move(grid)) {}
  at::Tensor score(const at::Tensor& x, const at::Tensor& t) const {
    auto td = t.to(at::kDouble).contiguous();
    auto xd = x.to(at::kDouble);
    auto out = at::zeros_like(xd);
    const auto* tp = td.data_ptr<double>();
    for (int64_t i = 0; i < x.size(0); ++i) {
      const double ti = std::min(std::max(tp[i], grid_.front()), grid_.back());
      size_t k = std::upper_bound(grid_.begin(), grid_.end(), ti) - grid_.begin();
      k = std::min(std::max<size_t>(k, 1), grid_.size() - 1);
      const double w = (ti - grid_[k - 1]) / (grid_[k] - grid_[k - 1]);
      auto row = xd.slice(0, i, i + 1);
      out.slice(0, i, i + 1).copy_((1 - w) * ref_.score(k - 1, row) + w * ref_.score(k, row));
    }
    return out.to(x.scalar_type());
  }
  const ReferenceMarginals& marginals() const { return ref_; }

 private:
  ReferenceMarginals ref_;
  std::vector<double> grid_;
};

// local-DSM's inputs (t, s, y_s, y_t and weight exactly as LocalDsm draws them), regressed onto
// the Fokker–Planck score instead of the local target: what is left is everything but target noise.
class OracleTargetLocalDsm : public Objective {
 public:
  OracleTargetLocalDsm(const Json& spec, const DenseReference& ref) : inner_(spec), ref_(ref) {}
  std::string name() const override { return "local_dsm"; }
  Json spec() const override { return inner_.spec(); }
  bool needs_affine_sde() const override { return false; }
  LossOutput evaluate(ScoreModel& model, const Sde& sde, const at::Tensor& x0, at::Generator& gen) override {
    auto t = sample_times(sde, x0.size(0), gen, x0.options());
    auto s = inner_.start_times(sde, t);
    auto ys = draw_marginal(sde, x0, s, gen);  // the path pool, as LocalDsm draws y_s
    auto q = inner_.draw(sde, ys, s, t, gen);
    auto residual = model.score(q.yt, t) - ref_.score(q.yt, t);
    return {(0.5 * sum_per_sample(residual * residual) * q.weight).mean(), {}};
  }

 private:
  LocalDsm inner_;
  const DenseReference& ref_;
};

struct Run {
  std::string label;
  Json objective;
  double grad_clip = 1.0;
  bool oracle = false;
};

Json train_spec(const Json& data, const Json& sde, const Run& run) {
  return {{"data", data}, {"sde", sde}, {"model", {{"name", "mlp"}, {"hidden", 64}, {"depth", 2}}},
          {"objective", run.objective},
          {"train", {{"batch", 128}, {"lr", 2e-3}, {"seed", g_seed}, {"ema_decay", 0.99}, {"warmup", 50},
                     {"grad_clip", run.grad_clip}, {"log_every", 100000}}}};
}

// Relative score error per t, given draws and truth at each time.
template <class Draw>
std::vector<double> per_t_errors(ScoreModel& model, Draw&& draw) {
  at::NoGradGuard no_grad;
  std::vector<double> out;
  for (size_t k = 0; k < kTimes.size(); ++k) {
    const std::pair<at::Tensor, at::Tensor> drawn = draw(k);
    const at::Tensor &x = drawn.first, &truth = drawn.second;
    auto t = at::full({x.size(0)}, kTimes[k]);
    auto diff = model.score(x, t) - truth;
    out.push_back((diff * diff).mean().item<double>() / (truth * truth).mean().item<double>());
  }
  return out;
}

void header() {
  std::printf("run,steps,ms_per_step");
  for (double t : kTimes) std::printf(",t=%g", t);
  std::printf(",mean\n");
}

void row(const std::string& label, int64_t steps, double ms, const std::vector<double>& e) {
  std::printf("%s,%lld,%.2f", label.c_str(), (long long)steps, ms);
  double mean = 0;
  for (double v : e) {
    std::printf(",%.4f", v);
    mean += v / e.size();
  }
  std::printf(",%.4f\n", mean);
  std::fflush(stdout);
}

double train(Trainer& trainer, int64_t steps) {
  auto t0 = std::chrono::steady_clock::now();
  trainer.run(steps);
  return 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / steps;
}

void local_dsm_study(int64_t steps) {
  const Json sde_spec = {{"name", "langevin_mog"}, {"steps", 100}};
  auto sde = make_sde(sde_spec);
  // A grid dense at small t, where the score changes fastest, for the oracle target.
  std::vector<double> grid;
  for (double t = 1e-3; t < 1.0; t *= 1.08) grid.push_back(t);
  grid.push_back(1.0);
  for (double t : kTimes)
    if (std::find(grid.begin(), grid.end(), t) == grid.end()) grid.push_back(t);
  std::sort(grid.begin(), grid.end());
  DenseReference ref(*sde, grid);
  std::vector<size_t> at_k;
  for (double t : kTimes) at_k.push_back(std::find(grid.begin(), grid.end(), t) - grid.begin());

  std::vector<Run> runs;
  for (double lambda : {0.01, 0.03, 0.1, 0.3})
    for (double clip : {1.0, 0.0}) {
      char label[64];
      std::snprintf(label, sizeof label, "local_dsm lambda=%g clip=%g", lambda, clip);
      runs.push_back({label, {{"name", "local_dsm"}, {"lambda", lambda}}, clip});
    }
  runs.push_back({"local_dsm oracle-target lambda=0.01", {{"name", "local_dsm"}, {"lambda", 0.01}}, 1.0, true});
  runs.push_back({"local_dsm oracle-target lambda=0.1", {{"name", "local_dsm"}, {"lambda", 0.1}}, 1.0, true});
  for (double lambda : {0.01, 0.1})
    for (double clip : {1.0, 0.0}) {
      char label[80];
      std::snprintf(label, sizeof label, "local_dsm lambda=%g clip=%g weighting=g2_integral", lambda, clip);
      runs.push_back({label, {{"name", "local_dsm"}, {"lambda", lambda}, {"weighting", "g2_integral"}}, clip});
    }
  for (const char* probe : {"rademacher", "gaussian"})
    runs.push_back({std::string("ism_hutchinson probe=") + probe + " weighting=g2_integral (default)",
                    {{"name", "ism_hutchinson"}, {"probe", probe}}});
  for (const char* w : {"none", "likelihood"})
    runs.push_back({std::string("ism_hutchinson probe=rademacher weighting=") + w,
                    {{"name", "ism_hutchinson"}, {"weighting", w}}});
  runs.push_back({"ism (exact trace) weighting=g2_integral (default)", {{"name", "ism"}}});
  // A t-flat weight for both (local-DSM's default tr Σ/d ≈ λ is flat only above the first hop).
  for (double lambda : {0.1, 0.3}) {
    char label[80];
    std::snprintf(label, sizeof label, "local_dsm lambda=%g weighting=none", lambda);
    runs.push_back({label, {{"name", "local_dsm"}, {"lambda", lambda}, {"weighting", "none"}}});
  }
  runs.push_back({"local_dsm oracle-target lambda=0.1 weighting=none",
                  {{"name", "local_dsm"}, {"lambda", 0.1}, {"weighting", "none"}}, 1.0, true});
  runs.push_back({"ism_hutchinson probe=gaussian weighting=none",
                  {{"name", "ism_hutchinson"}, {"probe", "gaussian"}, {"weighting", "none"}}});
  runs.push_back({"ism (exact trace) weighting=none", {{"name", "ism"}, {"weighting", "none"}}});
  // The path pool's effect on accuracy: the same runs simulating every input from x_0.
  runs.push_back({"local_dsm lambda=0.01 clip=1 path_pool=false", {{"name", "local_dsm"}, {"path_pool", false}}});
  runs.push_back({"ism_hutchinson probe=rademacher path_pool=false", {{"name", "ism_hutchinson"}, {"path_pool", false}}});

  header();
  for (const auto& run : runs) {
    if (!selected(run.label)) continue;
    Trainer trainer(train_spec(bench::product_mixture(), sde_spec, run));
    if (run.oracle) {
      // The same trainer, with its objective swapped for the oracle-target one: rebuild the spec
      // through a Trainer first (checks, defaults), then train the oracle objective by hand.
      auto model = make_model(trainer.spec()["model"], trainer.sde_ptr(), {2});
      auto ema = make_model(trainer.spec()["model"], trainer.sde_ptr(), {2});
      OracleTargetLocalDsm objective(run.objective, ref);
      torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(2e-3));
      auto t0 = std::chrono::steady_clock::now();
      for (int64_t step = 0; step < steps; ++step) {
        auto gen = make_generator(1000003 * (step + 1) + g_seed);
        auto x0 = trainer.data().sample(128, gen);
        auto out = objective.loss(*model, *sde, x0, gen);
        adam.zero_grad();
        out.loss.backward();
        torch::nn::utils::clip_grad_norm_(model->parameters(), run.grad_clip);
        const double lr = 2e-3 * std::min(1.0, double(step + 1) / 50);
        for (auto& g : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
        adam.step();
        at::NoGradGuard no_grad;
        auto pe = ema->parameters(), pm = model->parameters();
        for (size_t i = 0; i < pe.size(); ++i) pe[i].mul_(0.99).add_(pm[i], 0.01);
      }
      const double ms = 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / steps;
      ema->eval();
      auto gen = make_generator(42);
      row(run.label, steps, ms, per_t_errors(*ema, [&](size_t k) {
            auto x = ref.marginals().sample(at_k[k], 2000, 2, gen);
            return std::make_pair(x, ref.marginals().score(at_k[k], x));
          }));
      continue;
    }
    const double ms = train(trainer, steps);
    auto gen = make_generator(42);
    row(run.label, steps, ms, per_t_errors(trainer.ema_model(), [&](size_t k) {
          auto x = ref.marginals().sample(at_k[k], 2000, 2, gen);
          return std::make_pair(x, ref.marginals().score(at_k[k], x));
        }));
  }
}

// Truth for the mixture under an affine SDE: x_t = α x_0 + σ z and its exact score.
std::pair<at::Tensor, at::Tensor> mixture_draws(const GaussianMixture& mix, const Sde& sde, double t, at::Generator& gen) {
  auto x0 = mix.sample(2000, gen);
  auto tt = at::full({2000}, t);
  auto m = sde.marginal(tt);
  auto x = per_sample(m.alpha, x0) * x0 + per_sample(m.sigma, x0) * randn(x0.sizes(), gen, x0.options());
  return {x, mix.score(x, m.alpha, m.sigma)};
}

void affine_study(const std::vector<std::string>& sdes, const std::vector<Run>& runs, int64_t steps) {
  GaussianMixture mix(four_clusters());
  header();
  for (const auto& sde_name : sdes) {
    auto sde = make_sde(Json{{"name", sde_name}});
    for (const auto& run : runs) {
      if (!selected(sde_name + " " + run.label)) continue;
      Trainer trainer(train_spec(four_clusters(), Json{{"name", sde_name}}, run));
      const double ms = train(trainer, steps);
      auto gen = make_generator(42);
      row(sde_name + " " + run.label, steps, ms,
          per_t_errors(trainer.ema_model(), [&](size_t k) { return mixture_draws(mix, *sde, kTimes[k], gen); }));
    }
  }
}

// Amortised forward simulation (objectives/path_pool.hpp): steps per second at the issue's setting
// (default MLP, batch 512, default langevin_mog with 400 Euler steps, one thread) against DSM on VP,
// with and without the pool, and the score error per t after the same number of steps.
void pool_study(int64_t steps) {
  const Json nonlinear = {{"name", "langevin_mog"}};
  auto sde = make_sde(nonlinear);
  DenseReference ref(*sde, kTimes);
  auto vp = make_sde(Json{{"name", "vp"}});
  GaussianMixture mix(bench::product_mixture());
  struct PoolRun {
    std::string label;
    Json sde, objective;
  };
  std::vector<PoolRun> runs = {{"dsm vp", {{"name", "vp"}}, {{"name", "dsm"}}}};
  for (const char* name : {"local_dsm", "ism_hutchinson", "ism", "lcss"})
    for (bool pool : {false, true})
      runs.push_back({std::string(name) + " langevin_mog path_pool=" + (pool ? "true" : "false"), nonlinear,
                      {{"name", name}, {"path_pool", pool}}});
  header();
  for (const auto& run : runs) {
    if (!selected(run.label)) continue;
    Json spec = {{"data", bench::product_mixture()}, {"sde", run.sde}, {"model", {{"name", "mlp"}}},
                 {"objective", run.objective},
                 {"train", {{"batch", 512}, {"lr", 2e-3}, {"seed", g_seed}, {"ema_decay", 0.99}, {"warmup", 50},
                            {"log_every", 100000}}}};
    Trainer trainer(spec);
    const double ms = train(trainer, steps);
    auto gen = make_generator(42);
    if (run.sde["name"] == "vp") {
      row(run.label, steps, ms,
          per_t_errors(trainer.ema_model(), [&](size_t k) { return mixture_draws(mix, *vp, kTimes[k], gen); }));
    } else {
      row(run.label, steps, ms, per_t_errors(trainer.ema_model(), [&](size_t k) {
            auto x = ref.marginals().sample(k, 2000, 2, gen);
            return std::make_pair(x, ref.marginals().score(k, x));
          }));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  at::set_num_threads(1);  // one intra-op thread: the figures are per-step costs on one core
  const std::string study = argc > 1 ? argv[1] : "";
  const int64_t steps = argc > 2 ? std::atoll(argv[2]) : 400;
  g_filter = argc > 3 ? argv[3] : "";
  g_seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 0;
  if (study == "local_dsm") {
    local_dsm_study(steps);
  } else if (study == "lcss") {
    std::vector<Run> runs = {{"dsm", {{"name", "dsm"}}}, {"ism (exact trace)", {{"name", "ism"}}}};
    for (const char* probe : {"gaussian", "sphere"})
      for (int64_t k : {1, 4, 16})
        for (bool anti : {false, true})
          runs.push_back({std::string("lcss probe=") + probe + " K=" + std::to_string(k) + (anti ? " antithetic" : ""),
                          {{"name", "lcss"}, {"probe", probe}, {"draws", k}, {"antithetic", anti}}});
    affine_study({"vp"}, runs, steps);
  } else if (study == "fd_ssm") {
    std::vector<Run> runs = {{"ssm_vr", {{"name", "ssm_vr"}}},
                             {"fd_ssm eps=0.1 absolute", {{"name", "fd_ssm"}, {"eps", 0.1}, {"eps_mode", "absolute"}}},
                             {"fd_ssm eps=0.1 relative", {{"name", "fd_ssm"}, {"eps", 0.1}, {"eps_mode", "relative"}}}};
    affine_study({"ve", "vp"}, runs, steps);
  } else if (study == "pool") {
    pool_study(steps);
  } else {
    std::fprintf(stderr, "usage: scorekit_objective_study local_dsm|lcss|fd_ssm|pool [steps] [label filter] [seed]\n");
    return 2;
  }
}
