#!/bin/sh
# The jar alone: copies scorekit.jar and the Java sample into a clean directory, compiles and runs the
# sample there with nothing else (no java.library.path, no LD_LIBRARY_PATH, no build tree), and checks
# the jar's Maven metadata and that the extracted native libraries were cleaned up.
#   run_jar_only.sh JAR SOURCE_DIR WORK_DIR [STEPS]
set -eu
jar="$1" src="$2" work="$3" steps="${4:-300}"
rm -rf "$work"
mkdir -p "$work/app" "$work/tmp" "$work/out"
cp "$jar" "$work/app/scorekit.jar"
cp "$src/samples/java/TrainAndSample.java" "$work/app/"
listing=$(jar tf "$work/app/scorekit.jar")
for f in META-INF/maven/org.scorekit/scorekit/pom.xml META-INF/maven/org.scorekit/scorekit/pom.properties \
         "org/scorekit/native/linux-$(uname -m)/libraries.txt" "org/scorekit/native/linux-$(uname -m)/libscorekit_swig_java.so"; do
  echo "$listing" | grep -qx "$f" || { echo "scorekit.jar lacks $f" >&2; exit 1; }
done
mkdir "$work/meta"
(cd "$work/meta" && jar xf "$work/app/scorekit.jar" META-INF/maven/org.scorekit/scorekit/pom.xml)
grep -q '<groupId>org.scorekit</groupId>' "$work/meta/META-INF/maven/org.scorekit/scorekit/pom.xml" &&
  grep -q '<artifactId>scorekit</artifactId>' "$work/meta/META-INF/maven/org.scorekit/scorekit/pom.xml" ||
  { echo "the jar's pom.xml is not org.scorekit:scorekit" >&2; exit 1; }
unset LD_LIBRARY_PATH CLASSPATH
cd "$work/app"
javac -cp scorekit.jar TrainAndSample.java
java -Djava.io.tmpdir="$work/tmp" -cp scorekit.jar:. TrainAndSample "$work/out" "$steps"
left=$(ls -A "$work/tmp")
[ -z "$left" ] || { echo "native libraries left in the temporary folder: $left" >&2; exit 1; }
echo "jar only: sample compiled and ran from $work/app with scorekit.jar alone"
