#!/usr/bin/env bash
# The sanitizer runs, each in a build tree of its own, with clang:
#   address  build-asan/: AddressSanitizer + UndefinedBehaviorSanitizer over the C suites, the C++
#            suites named in $SCOREKIT_ASAN_CPP_TESTS, and the spec fuzzer (the core carries
#            libFuzzer's coverage instrumentation too).
#   thread   build-tsan/: ThreadSanitizer over the C threads suite.
#   scripts/sanitize.sh [address|thread|all]   (default: all)
# Suppressions, one per line with its reason: tests/sanitizers/*.supp (see docs/reliability.md).
# Unity builds (16 sources a unit) parse LibTorch's headers a sixteenth as often: the instrumented
# builds take minutes instead of half an hour, which lets CI run them (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
which=${1:-all}
supp=$PWD/tests/sanitizers
# C++ suites under ASan: checkpoints, readers, errors, the training loop, and the hand-written CPU
# kernels and optimiser (raw pointers); the numerical suites (samplers, likelihood, objectives) take
# most of the C++ suite's time and little of its memory handling. The one learning-quality test
# among them (thousands of steps, 10+ minutes under ASan) is left out.
cpp_tests=${SCOREKIT_ASAN_CPP_TESTS:-"^(Checkpoint|Errors|Idx|Training|SamplerErrors|GroupNormSilu|Kernels/FusedGroupNormSilu|Paths/AdamUpdate)\."}
cpp_skip=${SCOREKIT_ASAN_CPP_SKIP:-"^Training\.MlpLearns"}
export SCOREKIT_THREADS=${SCOREKIT_THREADS:-1}

configure() {  # configure DIR SANITIZER
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    "-DCMAKE_C_FLAGS=-O1 -gline-tables-only" "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only" \
    -DSCOREKIT_SANITIZE="$2" -DSCOREKIT_BUILD_BINDINGS=OFF -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 \
    > "$1.log" 2>&1 || { cat "$1.log"; exit 1; }
}

if [[ $which == address || $which == all ]]; then
  configure build-asan address
  cmake --build build-asan -j "$(nproc)" --target scorekit_capi scorekit_cli scorekit_tests spec_fuzzer \
    test_c_basics test_c_training test_c_threads test_c_crash_save test_c_likelihood ckpt_writer
  # allocator_may_return_null: a test asks LibTorch for petabytes and expects its error, not ASan's abort.
  export ASAN_OPTIONS="detect_leaks=1:suppressions=$supp/asan.supp:detect_odr_violation=0:strict_string_checks=1:allocator_may_return_null=1"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="suppressions=$supp/ubsan.supp:print_stacktrace=1:halt_on_error=1"
  ctest --test-dir build-asan --output-on-failure -j 2 --timeout 900 -L '^c$' -E c_exports
  ctest --test-dir build-asan --output-on-failure -j 2 --timeout 900 -L '^cpp$' -R "$cpp_tests" -E "$cpp_skip"
  ASAN_OPTIONS="detect_leaks=0:detect_odr_violation=0:allocator_may_return_null=1" \
    ctest --test-dir build-asan --output-on-failure --timeout 900 -R '^c_fuzz_spec$'
  unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
fi

if [[ $which == thread || $which == all ]]; then
  configure build-tsan thread
  cmake --build build-tsan -j "$(nproc)" --target test_c_threads
  TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1" \
    ctest --test-dir build-tsan --output-on-failure --timeout 900 -R '^c_threads$'
fi
