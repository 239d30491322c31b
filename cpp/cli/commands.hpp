#pragma once
#include "cli/args.hpp"
#include "util/spec.hpp"

namespace scorekit::cli {
// Runs one subcommand and returns its JSON result; throws Error on bad input.
Json run_command(const std::string& command, Args& args);
Json bench_command(Args& args);
Json nll_command(Args& args);
Json train_classifier_command(Args& args);  // classifier.cpp
Json bench_samplers_command(Args& args);
// NFE 10/20/35/100 against sample quality for every sampler on a mixture oracle (bench_nfe_table.cpp).
Json bench_nfe_table(const std::string& data_path, const std::string& sde, int64_t n);
}  // namespace scorekit::cli
