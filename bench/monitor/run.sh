#!/usr/bin/env bash
# Monitor benchmark: events/s over TCP with 100-event batches through the built-in rules,
# ack latency percentiles at a fixed rate (three runs, from each batch's intended send time),
# memory per indexed event. Server and load generator share one JVM.
#   bench/monitor/run.sh [SECONDS] [RATE]     (default 15 s, 200000 events/s)
# Results: bench/results/monitor-<time>.md and .json
# Against `gantry up` as users run it (and its memory): bench/monitor/up.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
java=$("$root/scripts/jdk")/bin/java
. "$here/quiet.sh"

echo "building the benchmark" >&2
(cd "$root" && ./mvnw -q -B -pl bench/monitor -am compile)
wait_for_quiet
exec "$java" -Xms2g -Xmx2g -Dbench.results="$root/bench/results" -Dbench.command="bench/monitor/run.sh $*" \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  dev.gantry.bench.monitor.MonitorBench "${1:-15}" "${2:-200000}"
