#!/bin/sh
# Runs one fuzzer for a bounded time: first every input that once failed (fuzz/regressions/NAME),
# then SECONDS of fuzzing from the seed corpus kept in the repository (fuzz/corpus/NAME) plus, for
# the checkpoint fuzzer, real checkpoints made afresh by $SK_FUZZ_SEEDS.
#   run_fuzz.sh NAME FUZZER FUZZ_DIR WORKDIR SECONDS   ($SCOREKIT_FUZZ_SECONDS, when set, wins)
# FUZZER "none" means clang's libFuzzer runtime was not found at configure time: skip (exit 77).
# A finding leaves its input in WORKDIR/artifacts; copy it into fuzz/regressions/NAME with the fix.
set -eu
name="$1" fuzzer="$2" src="$3" work="$4"
seconds="${SCOREKIT_FUZZ_SECONDS:-$5}"
if [ "$fuzzer" = none ] || [ ! -x "$fuzzer" ]; then
  echo "SKIP: clang++ with the libFuzzer runtime (libclang-rt-dev) was not found when configuring"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
[ -d "$src/corpus/$name" ] && cp "$src/corpus/$name"/* "$work/seeds/"
[ -n "${SK_FUZZ_SEEDS:-}" ] && "$SK_FUZZ_SEEDS" "$work/seeds"
dict=""
[ -f "$src/$name.dict" ] && dict="-dict=$src/$name.dict"
# LibTorch is not instrumented: its allocator and one-time globals would trip the leak checker and
# ODR checks, which concern code outside the readers. Memory errors in the readers are still caught.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:detect_odr_violation=0:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
options="-timeout=20 -rss_limit_mb=4096 -malloc_limit_mb=1024 -max_len=65536"

if [ -d "$src/regressions/$name" ] && [ -n "$(ls "$src/regressions/$name")" ]; then
  # shellcheck disable=SC2086
  "$fuzzer" $options "$src/regressions/$name"/* > "$work/regressions.txt" 2>&1 || {
    tail -60 "$work/regressions.txt"
    echo "FAIL: an input that once failed fails again (fuzz/regressions/$name)" >&2
    exit 1
  }
  echo "regressions: $(ls "$src/regressions/$name" | wc -l) inputs that once failed now pass"
fi
echo "seed corpus: $(ls "$work/seeds" | wc -l) files"
# shellcheck disable=SC2086
"$fuzzer" $options $dict -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$work/seeds" > "$work/log.txt" 2>&1 || {
  tail -60 "$work/log.txt"
  echo "FAIL: the $name fuzzer found a problem; reproducer in $work/artifacts" >&2
  exit 1
}
grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" "$work/log.txt" || tail -5 "$work/log.txt"
echo "OK: $name: no crash, no sanitizer report, no unexpected exception in ${seconds}s"
