// `scorekit bench --spec`: times one training spec's steps, or one sampler on its model, and
// `scorekit bench --sgemm N`: the machine's float32 matrix-multiply rate. These are the C++ side of
// bench/peer.sh, which runs a plain-PyTorch replica of the same work beside them.
#include <sys/resource.h>

#include <torch/csrc/autograd/profiler_legacy.h>

#include <chrono>
#include <fstream>

#include "cli/bench_spec.hpp"
#include "cli/measure.hpp"
#include "cli/progress_bar.hpp"
#include "samplers/sampler.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit::cli {

namespace {

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

Json parse_json_arg(const std::string& text, const std::string& what) {
  try {
    return Json::parse(text);
  } catch (const std::exception& e) {
    throw Error("bench: " + what + " must be JSON, got '" + text + "': " + e.what());
  }
}

}  // namespace

Json bench_spec(Args& a) {
  const Json spec = parse_json_arg(a.required("spec"), "--spec");
  const std::string sampler_text = a.text("sample");
  const int64_t steps = a.positive("steps", 50), warmup = a.integer("warmup", 5);
  const int64_t n = a.positive("n", 10000);
  const std::string trace = a.text("trace");
  a.finish("bench");
  Trainer trainer(spec);
  Json out{{"parameters", parameter_count(trainer.model())}, {"threads", at::get_num_threads()}};
  if (sampler_text.empty()) {
    if (warmup > 0) trainer.run(warmup);
    if (!trace.empty()) {  // where the time goes, op by op (bench/op_times.py sums it); not timed
      if (!std::ofstream(trace)) throw IoError("bench: cannot write --trace " + trace);
      {
        torch::autograd::profiler::RecordProfile profile(trace);  // a Chrome trace, written when it ends
        trainer.run(steps);
      }
      out.update({{"steps", steps}, {"trace", trace}});
      return out;
    }
    const long faults = minor_faults();
    const auto t0 = clock_type::now();
    trainer.run(steps, adapting_threads(nullptr));
    const double secs = seconds_since(t0);
    out.update({{"steps", steps}, {"seconds_per_step", secs / steps},
                {"minor_faults_per_step", double(minor_faults() - faults) / steps}});
    return out;
  }
  auto sampler = make_sampler(parse_json_arg(sampler_text, "--sample"));
  auto gen = make_generator(0, trainer.ema_model().device());
  sampler->sample(trainer.ema_model(), trainer.sde(), std::min<int64_t>(n, 100), gen);  // warm-up
  const long faults = minor_faults();
  const auto t0 = clock_type::now();
  auto result = sampler->sample(trainer.ema_model(), trainer.sde(), n, gen);
  const double secs = seconds_since(t0);
  out.update({{"n", n}, {"nfe", result.nfe}, {"seconds", secs}, {"samples_per_s", n / secs},
              {"minor_faults_per_step", double(minor_faults() - faults) / std::max<int64_t>(result.nfe, 1)}});
  return out;
}

Json bench_sgemm(Args& a) {
  const int64_t size = a.positive("sgemm", 1024), reps = a.positive("reps", 20);
  a.finish("bench");
  auto gen = make_generator(0);
  auto x = at::randn({size, size}, gen, at::kFloat), y = at::randn({size, size}, gen, at::kFloat);
  auto out = at::mm(x, y);  // warm-up
  const auto t0 = clock_type::now();
  for (int64_t i = 0; i < reps; ++i) at::mm_out(out, x, y);
  const double secs = seconds_since(t0);
  return {{"size", size}, {"threads", at::get_num_threads()}, {"gflops", 2.0 * size * size * size * reps / secs / 1e9}};
}

}  // namespace scorekit::cli
