#!/bin/sh
# Builds out/app.jar with the JDK alone (javac, jar): no dependencies to fetch.
set -eu
cd "$(dirname "$0")"
rm -rf out/classes && mkdir -p out/classes
javac --release 21 -d out/classes $(find src/main/java -name '*.java')
jar --create --file out/app.jar --main-class capital.events.App -C out/classes .
echo "built out/app.jar${GANTRY_COMMIT:+ at $GANTRY_COMMIT}"
