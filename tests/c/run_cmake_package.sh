#!/bin/sh
# Installs scorekit to a temporary prefix and builds samples/c as a consumer would, with nothing but
# find_package(scorekit CONFIG REQUIRED) and scorekit::scorekit, then runs it (train, save, reload,
# sample, summary). Also checks that the version file refuses an incompatible version.
#   run_cmake_package.sh BUILD_DIR SOURCE_DIR WORK_DIR [STEPS]
set -eu
build="$1" src="$2" work="$3" steps="${4:-600}"
rm -rf "$work"
mkdir -p "$work/out"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
libdir=$(ls -d "$work"/prefix/lib*/cmake/scorekit)
for f in scorekitConfig.cmake scorekitConfigVersion.cmake scorekitTargets.cmake; do
  [ -f "$libdir/$f" ] || { echo "cmake --install did not put $f under $libdir" >&2; exit 1; }
done
unset LD_LIBRARY_PATH
# A consumer sees only the prefix: no source tree, no LibTorch package.
cmake -S "$src/samples/c" -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_C_FLAGS="-Wall -Wextra -Werror -pedantic" > "$work/configure.log"
cmake --build "$work/consumer"
"$work/consumer/train_and_sample" "$work/out" "$steps"

# The version file: 0.x accepts 0.1 and refuses 1.0 (another major version).
mkdir -p "$work/version"
cat > "$work/version/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(scorekit_version_check LANGUAGES NONE)
find_package(scorekit ${WANT} CONFIG)
message(STATUS "scorekit_FOUND=${scorekit_FOUND} scorekit_VERSION=${scorekit_VERSION}")
CMAKE
probe() {
  cmake -S "$work/version" -B "$work/version/build-$1" -DWANT="$1" -DCMAKE_PREFIX_PATH="$work/prefix" 2>&1 |
    sed -n 's/.*scorekit_FOUND=\([^ ]*\).*/\1/p'
}
[ "$(probe 0.1)" = 1 ] || { echo "find_package(scorekit 0.1) did not find the installed package" >&2; exit 1; }
[ "$(probe 1.0)" = 0 ] || { echo "find_package(scorekit 1.0) accepted version 0.x" >&2; exit 1; }
echo "cmake package: scorekit::scorekit linked and ran; version 0.1 accepted, 1.0 refused"
