#!/bin/sh
# Installs scorekit to a temporary prefix, builds samples/c with nothing but its Makefile and
# pkg-config, and runs it (train, save, reload, sample, summary).
#   run_sample.sh BUILD_DIR SOURCE_DIR WORK_DIR [STEPS]
set -eu
build="$1" src="$2" work="$3" steps="${4:-600}"
rm -rf "$work"
mkdir -p "$work/out"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
for f in include/scorekit.h lib/pkgconfig/scorekit.pc; do
  [ -f "$work/prefix/$f" ] || { echo "cmake --install did not put $f under the prefix" >&2; exit 1; }
done
ls "$work"/prefix/lib*/libscorekit.so > /dev/null
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
echo "pkg-config --cflags --libs scorekit: $(pkg-config --cflags --libs scorekit)"
# The installed header must stand alone: plain C, no C++ or LibTorch include.
if grep -n '#include' "$work/prefix/include/scorekit.h" | grep -v -e '<stddef.h>' -e '<stdint.h>'; then
  echo "scorekit.h includes more than the C standard headers" >&2
  exit 1
fi
unset LD_LIBRARY_PATH
make -s -C "$src/samples/c" OUT="$work" CFLAGS="-O2 -Wall -Wextra -Werror -std=c11 -pedantic"
"$work/train_and_sample" "$work/out" "$steps"
