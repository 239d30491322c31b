#!/bin/sh
# Runs the Python sample against a build tree: samples/run_python.sh [BUILD_DIR] [OUT_DIR] [STEPS]
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
out=${2:-$(mktemp -d)}
steps=${3:-1500}
py=${SCOREKIT_PYTHON:-/usr/bin/python3}
[ -f "$build/bindings/python/scorekit/_scorekit_swig.so" ] || [ -n "$(ls "$build"/bindings/python/scorekit/_scorekit_swig*.so 2>/dev/null)" ] || {
  echo "no Python binding in $build/bindings/python (build with SCOREKIT_BUILD_BINDINGS=ON)" >&2; exit 1; }
mkdir -p "$out"
PYTHONPATH="$build/bindings/python${PYTHONPATH:+:$PYTHONPATH}" exec "$py" "$here/python/train_and_sample.py" "$out" "$steps"
