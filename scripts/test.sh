#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
export SCOREKIT_THREADS=${SCOREKIT_THREADS:-$(nproc)}
ctest --test-dir build --output-on-failure -j 2 --timeout 900
