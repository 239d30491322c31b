#pragma once
#include "cli/args.hpp"
#include "util/spec.hpp"

namespace scorekit::cli {
// Runs one subcommand and returns its JSON result; throws Error on bad input.
Json run_command(const std::string& command, Args& args);
Json bench_command(Args& args);
Json nll_command(Args& args);
Json bench_samplers_command(Args& args);
}  // namespace scorekit::cli
