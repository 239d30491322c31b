#pragma once
namespace scorekit::cli {
// `scorekit train --nproc N ...`: starts N local ranks of this same program with RANK, WORLD_SIZE,
// MASTER_ADDR and MASTER_PORT set, relays rank 0's result, and stops every rank as soon as one
// fails. Returns the process exit status.
int launch_local_ranks(int nproc, int argc, char** argv);
// The value of --nproc in argv (-1 when absent).
int requested_nproc(int argc, char** argv);
}  // namespace scorekit::cli
