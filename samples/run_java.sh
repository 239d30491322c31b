#!/bin/sh
# Runs the Java sample against a build tree: samples/run_java.sh [BUILD_DIR] [OUT_DIR] [STEPS]
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
out=${2:-$(mktemp -d)}
steps=${3:-1500}
jar="$build/bindings/java/scorekit.jar"
[ -f "$jar" ] || { echo "no $jar (build with SCOREKIT_BUILD_BINDINGS=ON and a JDK)" >&2; exit 1; }
mkdir -p "$out/classes"
javac -d "$out/classes" -cp "$jar" "$here/java/TrainAndSample.java"
exec java -Djava.library.path="$build/bindings/java" -cp "$jar:$out/classes" TrainAndSample "$out" "$steps"
