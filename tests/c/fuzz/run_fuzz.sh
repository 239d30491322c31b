#!/bin/sh
# Runs the checkpoint-reader fuzzer for a bounded time on a freshly generated seed corpus.
#   run_fuzz.sh FUZZER SEED_MAKER WORKDIR [SECONDS]   (SECONDS defaults to $SCOREKIT_FUZZ_SECONDS or 60)
# FUZZER "none" means clang's libFuzzer runtime was not found at configure time: skip (exit 77).
set -eu
fuzzer="$1" seeds_tool="$2" work="$3"
seconds="${4:-${SCOREKIT_FUZZ_SECONDS:-60}}"
if [ "$fuzzer" = none ] || [ ! -x "$fuzzer" ]; then
  echo "SKIP: clang++ with the libFuzzer runtime (libclang-rt-dev) was not found when configuring"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
"$seeds_tool" "$work/seeds"
echo "seed corpus: $(ls "$work/seeds" | wc -l) files"
# LibTorch is not instrumented: its allocator and one-time globals would trip the leak checker and
# ODR checks, which concern code outside the reader. Memory errors in the reader are still caught.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:detect_odr_violation=0:allocator_may_return_null=1}" \
  "$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -malloc_limit_mb=1024 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$work/seeds" > "$work/log.txt" 2>&1 || {
  tail -60 "$work/log.txt"
  echo "FAIL: the fuzzer found a problem; reproducer in $work/artifacts" >&2
  exit 1
}
grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" "$work/log.txt" || tail -5 "$work/log.txt"
echo "OK: no crash, no exception other than CheckpointError, no allocation over 1 GB in ${seconds}s"
