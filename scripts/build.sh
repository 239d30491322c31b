#!/usr/bin/env bash
# Configures and builds scorekit into build/ (Release, Ninja) against the torch wheel in .venv/
# (SCOREKIT_TORCH=system: Debian's LibTorch 1.13). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCOREKIT_TORCH="${SCOREKIT_TORCH:-wheel}" "$@" \
  > build.log.tmp 2>&1 || { cat build.log.tmp; rm -f build.log.tmp; exit 1; }
rm -f build.log.tmp
cmake --build build -j "$(nproc)"
