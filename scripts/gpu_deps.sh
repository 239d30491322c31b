#!/usr/bin/env bash
# Bundles what a build of scorekit needs beyond LibTorch and a compiler into .gpu-deps/usr (git-ignored,
# ~15 MiB): header-only libraries (Eigen, nlohmann-json, cereal, Gloo's headers), GoogleTest, libpng,
# libjpeg and zlib, copied from this machine's Debian packages with their relocatable CMake configs. The GPU
# machine has none of Debian's -dev packages and no network; `run` carries this folder there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh > /dev/null
dest=${1:-.gpu-deps}/usr
rm -rf "$dest"
mkdir -p "$dest/include" "$dest/share"
arch=/usr/lib/x86_64-linux-gnu
for h in eigen3 nlohmann cereal gloo gtest gmock libpng16 png.h pngconf.h pnglibconf.h zlib.h zconf.h \
         jpeglib.h jerror.h jmorecfg.h x86_64-linux-gnu/jconfig.h; do
  cp -rL "/usr/include/$h" "$dest/include/"
done
lib="$dest/lib/x86_64-linux-gnu"   # the multiarch layout GTest's relocatable config expects
mkdir -p "$lib/cmake"
cp -r "$arch/cmake/GTest" "$lib/cmake/"
cp "$arch"/libgtest.a "$arch"/libgtest_main.a "$arch"/libgmock.a "$arch"/libgmock_main.a "$lib/"
cp -P "$arch"/libpng16.so* "$arch"/libpng.so "$arch"/libjpeg.so* "$lib/"
cp -P /lib/x86_64-linux-gnu/libz.so.1* "$lib/" && ln -sf libz.so.1 "$lib/libz.so"
mkdir -p "$dest/share/eigen3" "$dest/share/cmake"
cp -r /usr/share/eigen3/cmake "$dest/share/eigen3/"
cp -r /usr/share/cmake/nlohmann_json "$dest/share/cmake/"
echo "gpu_deps: $(du -sh "$dest" | cut -f1) in $dest"
