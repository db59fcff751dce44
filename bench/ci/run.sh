#!/usr/bin/env bash
# CI server benchmark: latency from `git push` to the first step on an idle agent, and the
# scheduling overhead per job with 20 agents and 200 queued patches.
#   bench/ci/run.sh                (needs git; results in bench/results/ci-bench.md)
# With `sim`, the queue simulator instead (QueueSim: the real queue engine in virtual time;
# results in bench/results/ci-queue-sim.md, well under a minute); bench/ci/sim.sh says the same.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
java=$("$root/scripts/jdk")/bin/java
main=dev.gantry.bench.ci.CiBench
[ "${1:-}" = sim ] && main=dev.gantry.bench.ci.QueueSim

echo "building the benchmark" >&2
(cd "$root" && ./mvnw -q -B -pl bench/ci -am compile)
exec "$java" -Xmx1g -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  "$main" "$root/bench/results"
