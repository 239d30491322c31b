#!/bin/sh
# A fresh C# project consumes the NuGet package: `nuget install ScoreKit` from a local folder source,
# the sample compiled with mcs against the package's lib/, the package's runtimes/linux-x64/native
# libraries copied beside it (as a build copies them to its output), run with mono and no LD_LIBRARY_PATH.
#   run_nuget_consumer.sh NUPKG SOURCE_DIR WORK_DIR [STEPS]
set -eu
nupkg="$1" src="$2" work="$3" steps="${4:-300}"
rm -rf "$work"
mkdir -p "$work/feed" "$work/app/bin" "$work/home" "$work/out"
cp "$nupkg" "$work/feed/"
cp "$src/samples/csharp/TrainAndSample.cs" "$work/app/"
export HOME="$work/home"   # nuget keeps its config and cache under HOME
unset LD_LIBRARY_PATH
cd "$work/app"
nuget install ScoreKit -Source "$work/feed" -OutputDirectory packages -NonInteractive
pkg=$(ls -d packages/ScoreKit.*)
native="$pkg/runtimes/linux-x64/native"
[ -f "$pkg/lib/net45/ScoreKit.dll" ] || { echo "the package has no lib/net45/ScoreKit.dll" >&2; exit 1; }
[ -f "$native/libscorekit_swig_cs.so" ] || { echo "the package has no $native/libscorekit_swig_cs.so" >&2; exit 1; }
# The glue must load the package's own libscorekit.so (RUNPATH $ORIGIN first), not a build tree's.
resolved=$(ldd "$native/libscorekit_swig_cs.so" | sed -n 's/^[[:space:]]*libscorekit\.so[.0-9]* => \([^ ]*\).*/\1/p')
case "$resolved" in
  "$PWD/$native/"*|"$native/"*) ;;
  *) echo "libscorekit_swig_cs.so resolves libscorekit.so to '$resolved', not the package's copy" >&2; exit 1 ;;
esac
mcs -nologo -out:bin/TrainAndSample.exe -r:"$pkg/lib/net45/ScoreKit.dll" TrainAndSample.cs
cp "$pkg/lib/net45/ScoreKit.dll" "$native"/*.so* bin/
mono bin/TrainAndSample.exe "$work/out" "$steps"
echo "nuget: ScoreKit installed from a local feed, compiled with mcs and run with mono from $work/app"
