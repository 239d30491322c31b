#!/usr/bin/env bash
# Idempotent set-up of everything scorekit needs on Debian 12:
#  1. Debian packages (needs root or sudo the first time; skips what is present);
#  2. the project virtual environment .venv/ with the pinned torch wheel (LibTorch 2.x with CUDA compiled in,
#     whose CUDA matches the system toolkit 13.0) and what the tests use (numpy, pytest, scikit-build-core).
# SCOREKIT_TORCH=system skips 2 and installs Debian's LibTorch 1.13 (CPU only) instead (not tested in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH_PIN="torch==2.11.0"   # the GPU machine's version: one LibTorch everywhere; its wheel is built for CUDA 13.0
# scikit-build-core: `pip install --no-build-isolation .` (the python_pip_install test) builds with it.
PYTHON_PACKAGES=("$TORCH_PIN" "numpy>=1.26" "pytest>=8" "scikit-build-core>=0.10"
  # k-diffusion's sampling module and what it imports: the independent implementation the samplers
  # are checked against (bindings/python/tests/test_k_diffusion.py); torchvision pairs with the torch pin.
  "torchvision==0.26.0" "scipy>=1.10" "tqdm" "pillow" "safetensors" "torchdiffeq" "torchsde"
  # the experiment runner's plots (bench/experiments/runner.py)
  "matplotlib")
# Installed without their declared dependencies: k-diffusion's package metadata pulls in training tools
# (wandb, clip, accelerate, ...) that its sampling module does not use.
PYTHON_PACKAGES_NO_DEPS=("k-diffusion==0.1.1.post1")

packages=(
  build-essential cmake pkg-config ninja-build
  libeigen3-dev libcereal-dev nlohmann-json3-dev libpng-dev zlib1g-dev
  libjpeg62-turbo-dev                     # JPEG files in image-folder data sets
  libgtest-dev libgmock-dev libcmocka-dev libbenchmark-dev
  swig default-jdk-headless mono-devel python3 python3-dev python3-numpy python3-venv
  nuget                                   # packs the C# binding as a .nupkg (csharp_nuget test)
  dataset-fashion-mnist
  clang libclang-rt-14-dev                # libFuzzer for the checkpoint-reader fuzz test
  libgloo-dev                             # Gloo headers for LibTorch's c10d process groups (data-parallel training)
  libdnnl-dev                             # oneDNN 2 for the U-Net's CPU convolutions (models/onednn_conv_engine.hpp)
  valgrind                                # the C-API memcheck test (skipped when absent)
)
if [[ ${SCOREKIT_TORCH:-wheel} == system ]]; then
  packages+=(libtorch-dev libopenblas0-openmp)   # Debian's LibTorch 1.13 (CPU) with OpenMP OpenBLAS
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#packages[@]} Debian packages present"
else
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[[ ${SCOREKIT_TORCH:-wheel} == system ]] && exit 0

# The venv uses Debian's python3, whose headers (python3-dev) the Python binding is built against.
if [[ ! -x .venv/bin/python ]]; then
  echo "bootstrap: creating .venv"
  /usr/bin/python3 -m venv .venv
fi
stamp=.venv/.scorekit-requirements
want="${PYTHON_PACKAGES[*]} ${PYTHON_PACKAGES_NO_DEPS[*]}"
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "bootstrap: pip installing ${want} into .venv (the torch wheel and its CUDA libraries are ~4 GB)"
  .venv/bin/pip install --quiet --disable-pip-version-check "${PYTHON_PACKAGES[@]}"
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps "${PYTHON_PACKAGES_NO_DEPS[@]}"
  echo "$want" > "$stamp"
else
  echo "bootstrap: .venv has ${want}"
fi
