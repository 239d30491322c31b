#!/bin/sh
# Runs the C# sample against a build tree: samples/run_csharp.sh [BUILD_DIR] [OUT_DIR] [STEPS]
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
out=${2:-$(mktemp -d)}
steps=${3:-1500}
lib="$build/bindings/csharp"
[ -f "$lib/ScoreKit.dll" ] || { echo "no $lib/ScoreKit.dll (build with SCOREKIT_BUILD_BINDINGS=ON and Mono)" >&2; exit 1; }
mkdir -p "$out"
mcs -nologo -out:"$out/TrainAndSample.exe" -r:"$lib/ScoreKit.dll" "$here/csharp/TrainAndSample.cs"
cp "$lib/ScoreKit.dll" "$out/"
LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec mono "$out/TrainAndSample.exe" "$out" "$steps"
