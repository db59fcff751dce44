#!/usr/bin/env bash
# The patch queue in virtual time, driven by the real queue engine: 200 patches, 10 % bad, a
# 5-minute pipeline, 1/4/8 agents at 1x and 3x load, each policy side by side (see QueueSim).
#   bench/ci/sim.sh                (results in bench/results/ci-queue-sim.md; well under a minute)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
java=$("$root/scripts/jdk")/bin/java

echo "building the simulator" >&2
(cd "$root" && ./mvnw -q -B -pl bench/ci -am compile)
exec "$java" -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  dev.gantry.bench.ci.QueueSim "$root/bench/results"
