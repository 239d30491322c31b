#!/usr/bin/env bash
# The GPU check, prepared for the GPU machine (one H200, its own Python with torch 2.11.0+cu130, nvcc,
# CMake and ninja; no network, no Debian -dev packages). Run it there through the device tool with
#   carry: [".gpu-deps"]   (made here first by scripts/gpu_deps.sh)
#   command: bash scripts/gpu_check.sh        (finishes in under 8 minutes)
# It builds scorekit (no bindings) against that machine's torch, runs `ctest -L cuda`, and writes to
# $OUT: info.json, ctest.log, bench_cifar.json (objectives on a ~35 M-parameter 3×32×32 U-Net at
# batch 128, sampling), bench_mlp.json. Locally, SCOREKIT_GPU_CHECK_DEVICE=cpu SCOREKIT_GPU_CHECK_SMALL=1
# runs the same steps on the CPU with a small U-Net (the GPU tests then skip).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-out/gpu_check}
mkdir -p "$OUT"
device=${SCOREKIT_GPU_CHECK_DEVICE:-cuda}
python=${SCOREKIT_PYTHON:-$(command -v python3)}
deps="$PWD/.gpu-deps/usr"
[[ -d $deps ]] || { echo "gpu_check: $deps is missing: run scripts/gpu_deps.sh here and carry .gpu-deps" >&2; exit 2; }
t0=$(date +%s)
stage() { echo "gpu_check: $1 ($(( $(date +%s) - t0 )) s)"; }

stage configure
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCOREKIT_PYTHON="$python" \
  -DSCOREKIT_BUILD_BINDINGS=OFF -DSCOREKIT_CUDA_TESTS_ONLY=ON -DCMAKE_PREFIX_PATH="$deps" \
  -DGTest_DIR="$deps/lib/x86_64-linux-gnu/cmake/GTest" -DCMAKE_CXX_FLAGS="-isystem $deps/include" \
  -DCMAKE_BUILD_RPATH="$deps/lib/x86_64-linux-gnu" > "$OUT/configure.log" 2>&1 || { tail -40 "$OUT/configure.log"; exit 1; }
stage build
cmake --build build-gpu -j "$(nproc)" --target scorekit_cli scorekit_cuda_tests > "$OUT/build.log" 2>&1 ||
  { grep -E "error|FAILED" "$OUT/build.log" | head -40; exit 1; }
build-gpu/scorekit info | tee "$OUT/info.json"

stage "ctest -L cuda"
ctest_rc=0
ctest --test-dir build-gpu -L cuda --output-on-failure --timeout 300 > "$OUT/ctest.log" 2>&1 || ctest_rc=$?
tail -15 "$OUT/ctest.log"

stage bench
if [[ -n ${SCOREKIT_GPU_CHECK_SMALL:-} ]]; then
  cifar=(--channels 8 --batch 4 --steps 1 --stf-n 16 --sample-n 4 --sample-steps 3)
else
  cifar=(--batch 128 --steps 10 --stf-n 4096 --sample-n 256 --sample-steps 50)
fi
build-gpu/scorekit bench --cifar --device "$device" "${cifar[@]}" --out "$OUT/bench_cifar.json" > /dev/null 2> "$OUT/bench_cifar.log" ||
  { tail -20 "$OUT/bench_cifar.log"; exit 1; }
build-gpu/scorekit bench --quick --device "$device" > "$OUT/bench_mlp.json" 2> /dev/null
stage done
exit "$ctest_rc"
