#!/bin/sh
# Runs the Python sample against a build tree: samples/run_python.sh [BUILD_DIR] [OUT_DIR] [STEPS]
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
out=${2:-$(mktemp -d)}
steps=${3:-1500}
# The project venv's Python, for which the binding is built (its torch is our LibTorch).
venv_py="$here/../.venv/bin/python"
if [ -x "$venv_py" ]; then default_py=$venv_py; else default_py=/usr/bin/python3; fi
py=${SCOREKIT_PYTHON:-$default_py}
[ -f "$build/bindings/python/scorekit/_scorekit_swig.so" ] || [ -n "$(ls "$build"/bindings/python/scorekit/_scorekit_swig*.so 2>/dev/null)" ] || {
  echo "no Python binding in $build/bindings/python (build with SCOREKIT_BUILD_BINDINGS=ON)" >&2; exit 1; }
mkdir -p "$out"
PYTHONPATH="$build/bindings/python${PYTHONPATH:+:$PYTHONPATH}" exec "$py" "$here/python/train_and_sample.py" "$out" "$steps"
