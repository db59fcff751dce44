#!/usr/bin/env bash
# Gantry's overhead on a deploy against running the same `docker-compose up -d` directly,
# measured in the same run on this machine's Docker Engine.
#   bench/deploy/run.sh [ITERATIONS]     (default 8)
# Needs: a running dockerd, docker-compose, busybox-static.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
iterations=${1:-8}

docker info >/dev/null 2>&1 || { echo "dockerd is not running" >&2; exit 1; }

# two releases of a small busybox image serving /health, built locally (no registry here)
for rel in A B; do
  if ! docker image inspect "gantry-bench/app:$rel" >/dev/null 2>&1; then
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/www" "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    for c in sh httpd wget mkdir echo date kill; do ln -s busybox "$root/bin/$c"; done
    echo "ok $rel" > "$root/www/health"
    printf '#!/bin/sh\nmkdir -p /data\necho "$(date +%%s) %s" >> /data/starts.log\ntrap "kill \\$c; exit 0" TERM INT\nhttpd -f -p ${PORT:-8080} -h /www & c=$!\nwait $c\n' "$rel" > "$root/bin/start"
    chmod +x "$root/bin/start"
    tar -C "$root" -c . | docker import -c 'CMD ["/bin/start"]' - "gantry-bench/app:$rel" >/dev/null
    rm -rf "$root"
  fi
done

cd "$here"
(cd "$repo" && ./mvnw -q -B -pl bench/deploy -am compile)
java_home=${GANTRY_BENCH_JAVA:-$("$repo/scripts/jdk")}
"$java_home/bin/java" -cp "target/classes:$(cat target/classpath.txt)" dev.gantry.bench.deploy.DeployBench \
  "$iterations" "$repo/bench/results/deploy-$(date -u +%Y-%m-%d).md"
