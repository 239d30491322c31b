// The scorekit command line. Every command prints, as its last stdout line, one JSON object with
// its results (or {"error": ...} and exit status 1).
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/launcher.hpp"
#include "data/registry.hpp"
#include "models/registry.hpp"
#include "objectives/registry.hpp"
#include "samplers/noise_schedule.hpp"
#include "samplers/sampler.hpp"
#include "sde/sde.hpp"
#include "util/env_setting.hpp"
#include "util/error.hpp"
#include "util/error_text.hpp"
#include "util/keep_freed_memory.hpp"
#include "util/threads.hpp"

using scorekit::Json;
namespace cli = scorekit::cli;

namespace {

const char* kUsage =
    "usage: scorekit <command> [--option value ...]\n"
    "commands:\n"
    "  train     --data NAME|FILE.npy|mixture:FILE.json --sde NAME --objective NAME --model NAME\n"
    "            --steps N --batch B --lr LR --seed S --out DIR [--spec FILE.json]\n"
    "            [--resume CKPT [--data NEW_PATH]]  (--data: where the run's data file lives now)\n"
    "            [--micro-batch M] [--nproc N | env RANK WORLD_SIZE MASTER_ADDR MASTER_PORT] [--dist-timeout S]\n"
    "            [--dist-backend auto|gloo|nccl] [--device cpu|cuda[:N]]\n"
    "            [--checkpoint-every N [--keep-last K]] [--sample-every N] [--precision fp32|bf16]\n"
    "            [--eval-every N [--eval-n 500] [--eval-steps 100] [--eval-seed 0]]  (image metrics in metrics.jsonl)\n"
    "  sample    --checkpoint PATH --n N --sampler NAME --steps K --seed S --out FILE.npy [--png FILE.png]\n"
    "            [--schedule karras|exponential|vp|uniform] [--rho R] [--eta E]  (σ-space samplers)\n"
    "  score     --checkpoint PATH --input FILE.npy --t T --out FILE.npy\n"
    "  nll       --checkpoint PATH --input FILE.npy [--exact | --hutchinson K] [--dequantize] [--out FILE.npy]\n"
    "            (sample, score and nll also take --model oracle --data mixture:FILE.json --sde NAME)\n"
    "  evaluate  --checkpoint PATH [--n N] [--seed S] [--sampler NAME --steps K]  (1x28x28 images: fd, kid, ...)\n"
    "            --samples FILE.npy --data fashion-mnist [--seed S]  (N x 1 x 28 x 28 in [-1, 1] vs the test split)\n"
    "            image metrics: [--classifier FILE] [--cache-dir DIR] [--data-path DIR] [--kid-subsets 100]\n"
    "            [--kid-subset-size 1000]\n"
    "  train-classifier --out FILE [--epochs 8] [--seed 0] [--batch 128] [--lr 0.002] [--max-shift 0]\n"
    "            [--limit N] [--data-path DIR]  (the image metrics' classifier; 1 thread unless --threads)\n"
    "  bench     [--quick] [--objectives] [--samplers [--nfe-table --data FILE.json]] [--images [--steps N]] [--device D]\n"
    "            [--cifar [--batch 128] [--steps 10] [--channels 128] [--stf-n 4096] [--out FILE.json]]\n"
    "            [--spec JSON [--steps N] [--warmup W] [--trace FILE.json] [--sample SAMPLER_JSON [--n N]]] [--sgemm N [--reps R]]\n"
    "  info      one JSON object: scorekit, torch, cuda, cudnn, gpus, blas, onednn, threads\n"
    "  version\n"
    "every command accepts --threads N (default: the cores other processes leave free, re-checked every 5 s;\n"
    "  --threads or SCOREKIT_THREADS fixes it, as bit-identical resumes need); train, sample, score, nll, evaluate and bench\n"
    "accept --device cpu|cuda[:N]\n";

// One help section per registry table: each name with its one-line summary.
template <class Table>
std::string describe(const char* title, const Table& table) {
  std::string out = std::string(title) + ":\n";
  for (const auto& e : table) {
    const std::string name = e.name;
    out += "  " + name + std::string(name.size() < 18 ? 18 - name.size() : 1, ' ') + e.summary + "\n";
  }
  return out;
}

// The usage followed by every name the registries know, with their one-line summaries.
std::string usage() {
  std::string out = kUsage;
  out += "data (--data):\n" + scorekit::dataset_help();
  out += describe("SDEs (--sde)", scorekit::sde_table());
  out += "objectives (--objective):\n" + scorekit::objective_help();
  out += "models (--model):\n" + scorekit::model_help();
  out += describe("samplers (--sampler)", scorekit::sampler_table());
  out += describe("noise schedules (--schedule, σ-space samplers)", scorekit::noise_schedule_table());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::fputs(usage().c_str(), argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  if (command == "train" && cli::requested_nproc(argc, argv) >= 0 && !std::getenv("WORLD_SIZE"))
    return cli::launch_local_ranks(cli::requested_nproc(argc, argv), argc, argv);
  // The command line is the host program, so it may choose the process's malloc policy: freed
  // activations stay for the next step (util/keep_freed_memory.hpp). SCOREKIT_KEEP_FREED_MEMORY=0
  // keeps glibc's defaults (for comparisons: bench/peer.sh --malloc-ablation).
  try {
    if (scorekit::env_switch("SCOREKIT_KEEP_FREED_MEMORY", true)) scorekit::keep_freed_memory();
    scorekit::cli::Args args(argc, argv, 2, {"quick", "exact", "objectives", "samplers", "dequantize", "images", "cifar", "nfe-table"});
    // Commands that compute follow the machine's load unless --threads or SCOREKIT_THREADS fixes the count.
    const bool computes = command != "info" && command != "version";
    scorekit::configure_threads(static_cast<int>(args.integer("threads", 0)), computes);
    Json result = scorekit::cli::run_command(command, args);
    std::cout << result.dump() << std::endl;
    return 0;
  } catch (const scorekit::Cancelled& e) {
    std::cout << Json{{"error", e.what()}}.dump() << std::endl;
    return 130;
  } catch (const std::exception& e) {
    const std::string message = scorekit::error_text(e);
    std::cerr << "scorekit " << command << ": error: " << message << "\n";
    std::cout << Json{{"error", message}}.dump() << std::endl;
    // A rank of a failed job exits at once: its process group may hold threads blocked on a dead peer.
    if (std::getenv("WORLD_SIZE")) std::_Exit(1);
    return 1;
  }
}
