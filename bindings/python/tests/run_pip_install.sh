#!/bin/sh
# `pip install .` as a user runs it, into a temporary virtual environment that sees the project venv's
# packages (torch, numpy, pytest, scikit-build-core: symlinked, not copied), then the Python tests with
# pytest against the installed package, from outside the source tree. Exits 77 (skipped) without
# scikit-build-core.
#   run_pip_install.sh PYTHON SOURCE_DIR WORK_DIR
set -eu
py="$1" src="$2" work="$3"
"$py" -c 'import scikit_build_core' 2>/dev/null ||
  { echo "skipped: $py has no scikit-build-core (scripts/bootstrap.sh installs it)"; exit 77; }
rm -rf "$work"
mkdir -p "$work/tests"
"$py" -m venv --without-pip "$work/venv"
vpy="$work/venv/bin/python"
platlib() { "$1" -c 'import sysconfig; print(sysconfig.get_path("platlib"))'; }
from=$(platlib "$py") to=$(platlib "$vpy")
for entry in "$from"/* "$from"/.[!.]*; do
  [ -e "$entry" ] || continue
  case "$(basename "$entry")" in scorekit|scorekit-*|__pycache__) continue ;; esac
  ln -s "$entry" "$to/"
done
unset PYTHONPATH LD_LIBRARY_PATH
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"

start=$(date +%s)
# Only the wheel's targets are built (pyproject.toml); the build folder stays in WORK_DIR.
if ! "$vpy" -m pip install --no-build-isolation --no-deps --no-cache-dir --disable-pip-version-check -v \
     --config-settings=build-dir="$work/build" "$src" > "$work/pip.log" 2>&1; then
  tail -n 60 "$work/pip.log" >&2
  exit 1
fi
echo "pip install --no-build-isolation: $(( $(date +%s) - start )) s"

pkg="$to/scorekit"
for f in __init__.py __init__.pyi py.typed scorekit_swig.py libscorekit.so; do
  [ -f "$pkg/$f" ] || { echo "the installed package lacks scorekit/$f" >&2; exit 1; }
done
ls "$pkg"/_scorekit_swig*.so > /dev/null
# LibTorch from the torch package beside it, and nothing from the build machine.
runpath=$(readelf -d "$pkg/libscorekit.so" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
[ "$runpath" = '$ORIGIN/../torch/lib' ] || { echo "libscorekit.so RUNPATH is '$runpath'" >&2; exit 1; }

cd "$work"
"$vpy" -c "import os, scorekit; assert os.path.dirname(scorekit.__file__) == '$pkg', scorekit.__file__; \
print('installed scorekit', scorekit.version(), 'at', os.path.dirname(scorekit.__file__))"
SCOREKIT_TEST_DIR="$work/tests" "$vpy" -B -m pytest -q -p no:cacheprovider "$src/bindings/python/tests"
