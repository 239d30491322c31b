#!/usr/bin/env bash
# Idempotent install of every system package scorekit needs (Debian 12).
# Skips packages that are already installed; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libtorch-dev libopenblas0-openmp        # LibTorch 1.13 (CPU); OpenMP OpenBLAS, ~8x faster than reference BLAS
  libeigen3-dev libcereal-dev nlohmann-json3-dev libpng-dev zlib1g-dev
  libgtest-dev libgmock-dev libcmocka-dev libbenchmark-dev
  swig default-jdk-headless mono-devel python3 python3-dev python3-numpy
  dataset-fashion-mnist
  clang libclang-rt-14-dev                # libFuzzer for the checkpoint-reader fuzz test
  libgloo-dev                             # Gloo headers for LibTorch's c10d process groups (data-parallel training)
  valgrind                                # the C-API memcheck test (skipped when absent)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
