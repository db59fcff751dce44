#!/usr/bin/env bash
# The monitor of `gantry up` as users run it (the launcher's JVM options, every component),
# loaded from a separate JVM over loopback TCP: three latency runs at RATE events/s over
# 4 connections (from each batch's intended send time), each paired with a run against an
# echo server (the floor: what machine, loopback and generator cost alone; order alternated),
# full-speed throughput, a flood of FLOOD seconds with the server's RSS sampled, then a
# minute idle with its RSS sampled.
#   bench/monitor/up.sh [SECONDS] [RATE] [FLOOD]     (default 15 s, 200000 events/s, 60 s)
# GANTRY_JAVA_OPTS is passed on to `gantry up`. Results: bench/results/monitor-up-<time>.md|json
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
java=$("$root/scripts/jdk")/bin/java
. "$here/quiet.sh"

echo "building the benchmark and gantry" >&2
(cd "$root" && ./mvnw -q -B -pl bench/monitor -am compile)
"$root/gantry" --version >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-up.XXXXXX")
server=""
echo_server=""
cleanup() {
  [ -z "$echo_server" ] || kill "$echo_server" 2>/dev/null || true
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_quiet
"$java" -Xmx64m -cp "$here/target/classes" dev.gantry.bench.monitor.EchoServer >"$work/echo.log" 2>&1 &
echo_server=$!
(cd "$work" && GANTRY_MONITOR_TCP_PORT=0 GANTRY_MONITOR_UDP_PORT=-1 exec "$root/gantry" up --port 0 \
  --data-dir "$work/data" >"$work/up.log" 2>&1) &
server=$!
for _ in $(seq 1 120); do
  grep -q 'Riemann TCP [0-9]' "$work/up.log" 2>/dev/null && break
  sleep 0.5
done
port=$(sed -n 's/.*Riemann TCP \([0-9]*\).*/\1/p' "$work/up.log" | head -1)
[ -n "$port" ] || { echo "gantry up did not start:" >&2; cat "$work/up.log" >&2; exit 1; }
pid=$(pgrep -P "$server" java || echo "$server")
floor=$(sed -n 's/^echo TCP \([0-9]*\)/\1/p' "$work/echo.log" | head -1)
[ -n "$floor" ] || { echo "the echo server did not start:" >&2; cat "$work/echo.log" >&2; exit 1; }
echo "gantry up: pid $pid, Riemann TCP $port" >&2

"$java" -Xms256m -Xmx256m -Dbench.results="$root/bench/results" -Dbench.command="bench/monitor/up.sh $*" \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  dev.gantry.bench.monitor.MonitorBench --external "$port" "$pid" "${1:-15}" "${2:-200000}" "${3:-60}" "$floor"

kill -TERM "$server"
wait "$server" 2>/dev/null || true
server=""
if grep -q ' ERROR ' "$work/up.log"; then
  echo "gantry up logged errors:" >&2
  grep -A3 ' ERROR ' "$work/up.log" >&2
fi
