#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# ctest runs two tests at once on the 2-core machines: one intra-op thread each, and OpenMP threads
# that sleep instead of spinning while they wait, so the two do not slow each other down.
export SCOREKIT_THREADS=${SCOREKIT_THREADS:-1}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
ctest --test-dir build --output-on-failure -j 2 --timeout 900
# Then the sanitizer runs (docs/reliability.md): ASan + UBSan + LSan over the C suites, the C++ suites
# that handle files, memory and errors and the spec fuzzer; TSan over the threads suite. Unity builds
# in build-asan/ and build-tsan/, about 10 minutes here. SCOREKIT_SANITIZERS=0 skips them.
if [[ ${SCOREKIT_SANITIZERS:-1} != 0 ]]; then
  bash scripts/sanitize.sh all
fi
