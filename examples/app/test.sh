#!/bin/sh
# Runs the tests against out/app.jar (build.sh first).
set -eu
cd "$(dirname "$0")"
[ -f out/app.jar ] || { echo "out/app.jar is missing: run build.sh first" >&2; exit 1; }
rm -rf out/test-classes && mkdir -p out/test-classes
javac --release 21 -cp out/app.jar -d out/test-classes $(find src/test/java -name '*.java')
java -cp out/app.jar:out/test-classes capital.events.AppTest
