#!/usr/bin/env bash
# Deploys as users run them: `./gantry deploy` through the repository's launcher, a fresh JVM
# each time, against a three-part system (stateless app, db with a data volume, nginx front)
# on this machine's Docker Engine.
#
#   bench/deploy/run.sh [ITERATIONS]      (default 5; runnable from any directory)
#
# 1. Failed requests during deploys: a load generator polls the front every 20 ms while
#    (a) A -> B is deployed, (b) C (fails its health check) is deployed, (c) `gantry rollback`
#    goes from B back to A; ITERATIONS runs of each.
# 2. Overhead of `./gantry deploy` over `docker-compose up -d` + waiting until healthy, on the
#    same system with the compose file Gantry generates, ITERATIONS iterations of each in
#    alternating order; `./gantry --version` alone; Gantry's output lines timestamped.
#
# Writes bench/results/deploy-<UTC date>.md, .json (summaries, stamped output) and
# -requests.csv (every request). Needs: root or docker access, a running dockerd,
# docker-compose, busybox-static (/bin/busybox), nginx (/usr/sbin/nginx), python3, git, and a
# JDK >= 21 for ./gantry. Images are built locally as gantry-bench/* and kept as a cache;
# containers, networks, volumes and temp files of the run are removed at the end, also when
# interrupted. GANTRY_BENCH_KEEP=1 keeps the temp folder (infra repo, root, raw data);
# GANTRY_BENCH_PARTS=1 or =2 runs only that part (default: both).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
kit="$here/benchkit.py"
iterations=${1:-5}
HEALTH_TIMEOUT=60        # --health-timeout given to gantry (seconds)
CMD_TIMEOUT=300          # any single command is killed after this many seconds
INTERVAL_MS=20           # load generator: one request every 20 ms
REQUEST_TIMEOUT=2        # load generator: per request (seconds)
IMAGE_VERSION=1          # bump when the images below change, so cached ones are rebuilt

die() { echo "bench/deploy: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

[[ "$iterations" =~ ^[1-9][0-9]*$ ]] || die "usage: bench/deploy/run.sh [ITERATIONS]  (a positive number, default 5)"
parts=" ${GANTRY_BENCH_PARTS:-1 2} "
[[ "$parts" =~ ^[\ 12]+$ ]] || die "GANTRY_BENCH_PARTS lists the parts to run: 1, 2 or both"

# ---------------------------------------------------------------- what it needs
command -v docker >/dev/null 2>&1 || die "docker is not installed"
docker info >/dev/null 2>&1 || die "dockerd is not running (or this user may not use it): 'docker info' fails"
command -v docker-compose >/dev/null 2>&1 || die "docker-compose (v1) is not installed: apt-get install docker-compose"
[ -x /bin/busybox ] && { ldd /bin/busybox 2>&1 || true; } | grep -q 'not a dynamic' ||
  die "a static /bin/busybox is needed for the images: apt-get install busybox-static"
[ -x /usr/sbin/nginx ] || die "nginx is needed for the front's image (/usr/sbin/nginx): apt-get install nginx-light"
command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' ||
  die "python3 >= 3.8 is needed for the load generator"
command -v git >/dev/null 2>&1 || die "git is needed (the infra repository)"
[ -x "$repo/gantry" ] || die "no launcher at $repo/gantry"

# ---------------------------------------------------------------- run state and cleanup
stem="gbd$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"   # every name of this run starts with it
gprefix="${stem}g-"                                        # gantry's --prefix
project="${gprefix}bench"                                  # gantry's compose project
cproject="${stem}c-bench"                                  # the plain docker-compose project
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-deploy.XXXXXX")
raw="$work/raw"
infra="$work/infra"
mkdir -p "$raw" "$infra/infra" "$work/setup" "$work/compose-src" "$work/compose"
lg_pid=""
cmd_pid=""
last_rc=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [ -n "$cmd_pid" ] && kill -TERM "$cmd_pid" 2>/dev/null && wait "$cmd_pid" 2>/dev/null
  [ -n "$lg_pid" ] && kill -TERM "$lg_pid" 2>/dev/null && wait "$lg_pid" 2>/dev/null
  log "cleaning up containers, networks and volumes named $stem*"
  local ids
  ids=$( { docker ps -aq --no-trunc --filter "name=^/$stem"
           docker ps -aq --filter label=com.docker.compose.project |
             xargs -r docker inspect --format '{{.Id}} {{index .Config.Labels "com.docker.compose.project"}}' |
             awk -v s="$stem" 'index($2, s) == 1 {print $1}'; } | sort -u)
  [ -n "$ids" ] && docker rm -f $ids >/dev/null
  docker network ls --format '{{.Name}}' | grep "^$stem" | xargs -r docker network rm >/dev/null
  docker volume ls -q | grep "^$stem" | xargs -r docker volume rm -f >/dev/null
  if [ -n "${GANTRY_BENCH_KEEP:-}" ]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# runs a command in the background and waits, so an interrupt is handled at once
bg_run() {
  "$@" &
  cmd_pid=$!
  local rc=0
  wait "$cmd_pid" || rc=$?
  cmd_pid=""
  return "$rc"
}

# ---------------------------------------------------------------- images (kept as a cache)
image_ok() { [ "$(docker image inspect --format '{{index .Config.Labels "dev.gantry.bench-image"}}' "$1" 2>/dev/null)" = "$IMAGE_VERSION" ]; }

busybox_root() {
  local r
  r=$(mktemp -d "$work/img.XXXXXX")
  mkdir -p "$r/bin" "$r/tmp" "$r/www" "$r/etc"
  chmod 1777 "$r/tmp"
  cp /bin/busybox "$r/bin/busybox"
  for c in sh httpd wget cat echo ls date sleep mkdir kill true false test; do ln -s busybox "$r/bin/$c"; done
  echo "$r"
}

import_image() { # ROOT REF CMD-JSON
  tar -C "$1" -c . | docker import -c "CMD $3" -c "LABEL dev.gantry.bench-image=$IMAGE_VERSION" - "$2" >/dev/null
  rm -rf "$1"
}

build_app() { # RELEASE: serves /release.txt and, except C, /health on 8080
  local r
  r=$(busybox_root)
  echo "$1" > "$r/www/release.txt"
  [ "$1" = C ] || echo "ok $1" > "$r/www/health"
  cat > "$r/bin/start" <<'EOF'
#!/bin/sh
# PID 1 ignores SIGTERM unless it traps it: stop promptly like a real service
trap 'kill $child; exit 0' TERM INT
httpd -f -p 8080 -h /www & child=$!
wait $child
EOF
  chmod +x "$r/bin/start"
  import_image "$r" "gantry-bench/app:$1" '["/bin/start"]'
}

build_db() { # /health on 7000, writes to its data volume at start
  local r
  r=$(busybox_root)
  echo "db ok" > "$r/www/health"
  cat > "$r/bin/start" <<'EOF'
#!/bin/sh
mkdir -p /var/lib/db
date >> /var/lib/db/starts.log
trap 'kill $child; exit 0' TERM INT
httpd -f -p 7000 -h /www & child=$!
wait $child
EOF
  chmod +x "$r/bin/start"
  import_image "$r" gantry-bench/db:1 '["/bin/start"]'
}

build_nginx() { # the host's nginx binary with its libraries
  local r lib
  r=$(busybox_root)
  mkdir -p "$r/usr/sbin" "$r/etc/nginx" "$r/var/lib/nginx" "$r/var/log/nginx" "$r/run" "$r/var/cache/nginx" "$r/usr/share/nginx"
  cp /usr/sbin/nginx "$r/usr/sbin/nginx"
  for lib in $(ldd /usr/sbin/nginx | grep -o '/[^ ]*'); do
    mkdir -p "$r$(dirname "$lib")"
    cp -L "$lib" "$r$lib"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'www-data:x:33:33:www-data:/var/www:/bin/false' \
    'nginx:x:101:101:nginx:/var/cache/nginx:/bin/false' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' > "$r/etc/passwd"
  printf '%s\n' 'root:x:0:' 'www-data:x:33:' 'nginx:x:101:' 'nogroup:x:65534:' > "$r/etc/group"
  printf 'events {}\nhttp { server { listen 80; location / { return 200 "gantry bench nginx\\n"; } } }\n' > "$r/etc/nginx/nginx.conf"
  import_image "$r" gantry-bench/nginx:1 '["/usr/sbin/nginx","-g","daemon off;"]'
}

log "images gantry-bench/app:A|B|C, gantry-bench/db:1, gantry-bench/nginx:1"
for rel in A B C; do image_ok "gantry-bench/app:$rel" || build_app "$rel"; done
image_ok gantry-bench/db:1 || build_db
image_ok gantry-bench/nginx:1 || build_nginx

# ---------------------------------------------------------------- the launcher and its JDK
log "warming up the launcher (builds gantry-cli/target/gantry.jar if sources changed)"
version_out=$("$repo/gantry" --version) || die "./gantry --version failed (see above)"
java_line=$(printf '%s\n' "$version_out" | grep '^java ' | head -n1)
jdk=$(printf '%s\n' "$java_line" | sed -n 's/^java .*(\(.*\))$/\1/p')
jar="$repo/gantry-cli/target/gantry.jar"

# ---------------------------------------------------------------- the infra repository
gport=$(python3 "$kit" free-port)
cport=$(python3 "$kit" free-port)
[ "$gport" != "$cport" ] || cport=$(python3 "$kit" free-port)
git init -q "$infra"
git -C "$infra" config user.name "Gantry Bench"
git -C "$infra" config user.email "bench@localhost"
cat > "$infra/infra/Infra.java" <<EOF
import dev.gantry.core.infra.*;
import dev.gantry.deploy.model.*;
import java.time.Duration;

public class Infra implements InfrastructureDefinition {
  public void define(Infrastructure i) {
    var bench = i.add(GantrySystem.named("bench")
        .service("db", s -> s.image("gantry-bench/db:1").port(7000).volume("dbdata", "/var/lib/db")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500))))
        .service("app", s -> s.image("gantry-bench/app").port(8080).dependsOn("db")
            .env("BENCH_SHAPE", System.getenv().getOrDefault("BENCH_SHAPE", "same"))
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500))))
        .frontend(Frontend.nginx().image("gantry-bench/nginx:1").listen($gport).route("/", "app:8080")));
    i.host("local").address("127.0.0.1").role("staging").runs(bench, "A");
  }
}
EOF
git -C "$infra" add -A
git -C "$infra" commit -q -m "bench system"

gopts=(--host local --local --infra "$infra" --root "$work/root" --data-dir "$work/data" --prefix "$gprefix"
  --unit-dir "$work/systemd" --health-timeout "$HEALTH_TIMEOUT")

gantry_cmd() { # OUT.json ARGS...: one ./gantry command, output stamped
  local out=$1
  shift
  bg_run python3 "$kit" run --out "$out" --timeout "$CMD_TIMEOUT" -- "$repo/gantry" "$@" "${gopts[@]}"
}

incident() { # TEXT: something Gantry did not do as it said; listed in the result file
  log "incident: $1"
  printf '%s %s\n' "$(date -u +%H:%M:%S)" "$1" >> "$raw/incidents.txt"
}

setup_step=0
baseline() { # RELEASE ARGS...: an unmeasured gantry command that must succeed and leave RELEASE answering
  local rel=$1 try
  shift
  for try in 1 2; do
    setup_step=$((setup_step + 1))
    log "baseline: gantry $*"
    gantry_cmd "$work/setup/$setup_step.json" "$@" ||
      die "baseline 'gantry $*' failed (output above); the benchmark needs it to succeed"
    front_answers "$gport" "$rel" && return 0
    incident "baseline 'gantry $*' succeeded but the front on port $gport did not answer $rel within 60 s"
  done
  die "the front does not answer $rel after 'gantry $*' (twice); see the diagnostics above"
}

front_answers() { # PORT RELEASE: waits until the front answers RELEASE; on failure shows what Docker has
  python3 "$kit" wait-release --port "$1" --release "$2" --timeout 60 && return 0
  {
    echo "--- $(date -u +%H:%M:%S) the front on port $1 does not answer $2"
    echo "--- containers of this run:"
    docker ps -a --filter "name=^/$stem" --format '{{.Names}}  {{.Image}}  {{.Status}}  {{.Ports}}'
    echo "--- listening on port $1:"
    ss -ltnp "sport = :$1" 2>/dev/null || true
    local c
    for c in $(docker ps -aq --filter "name=^/$stem" --filter "name=frontend"); do
      echo "--- last lines of $(docker inspect --format '{{.Name}}' "$c"):"
      docker logs --tail 15 "$c" 2>&1
    done
  } 2>&1 | tee -a "$raw/diagnostics.txt" >&2
  return 1
}

# ---------------------------------------------------------------- 1. failed requests during deploys
measure() { # SCENARIO RUN GANTRY-ARGS...
  local scen=$1 n=$2 ready rc=0
  shift 2
  ready="$work/ready-$scen-$n"
  python3 "$kit" load --port "$gport" --out "$raw/zd-$scen-$n.csv" --ready "$ready" --interval-ms "$INTERVAL_MS" \
    --timeout "$REQUEST_TIMEOUT" --max-seconds $((CMD_TIMEOUT + 30)) &
  lg_pid=$!
  for _ in $(seq 200); do
    [ -s "$ready" ] && break
    kill -0 "$lg_pid" 2>/dev/null || die "the load generator did not start"
    sleep 0.05
  done
  [ -s "$ready" ] || die "the load generator did not start within 10 s"
  sleep 1
  log "measured ($scen, run $n): gantry $*"
  gantry_cmd "$raw/zd-$scen-$n.json" "$@" || rc=$?
  sleep 1
  kill -TERM "$lg_pid"
  wait "$lg_pid" || true
  lg_pid=""
  last_rc=$rc
  log "exit code $rc"
}

part1() { # the three scenarios take turns, run by run
  local n
  for n in $(seq "$iterations"); do
    baseline A deploy bench --release A
    sleep 1
    measure a "$n" deploy bench --release B
    front_answers "$gport" B || incident "after (a) run $n (exit code $last_rc) the front did not answer B within 60 s"

    baseline A deploy bench --release A
    sleep 1
    measure b "$n" deploy bench --release C
    front_answers "$gport" A || incident "after (b) run $n (exit code $last_rc) the front did not answer A within 60 s"

    baseline A deploy bench --release A
    baseline B deploy bench --release B
    sleep 1
    measure c "$n" rollback bench
    front_answers "$gport" A || incident "after (c) run $n (exit code $last_rc) the front did not answer A within 60 s"
  done
}

# ---------------------------------------------------------------- 2. overhead over docker-compose
# The compose side is docker-compose at its best for this system: stable service names and no
# label that changes per release, so `up -d` recreates only the app; the front finds the app
# through Docker's DNS. (Gantry's own file names stateless services per specification and
# switches its front by reload, which plain compose cannot do, so it is not reused here.)
handwritten_compose() { # RELEASE
  health() { # PORT PATH INTERVAL RETRIES
    printf '    healthcheck:\n      test:\n      - "CMD-SHELL"\n'
    printf "      - \"wget -q -O /dev/null 'http://127.0.0.1:%s%s' || curl -fsS -o /dev/null 'http://127.0.0.1:%s%s'\"\n" "$1" "$2" "$1" "$2"
    printf '      interval: "%s"\n      timeout: "3s"\n      retries: %s\n      start_period: "0s"\n' "$3" "$4"
  }
  labels() { # SERVICE RELEASE
    printf '    restart: "unless-stopped"\n    labels:\n      dev.gantry.system: "bench"\n'
    printf '      dev.gantry.service: "%s"\n' "$1"
  }
  echo "services:"
  echo "  db:"
  echo '    image: "gantry-bench/db:1"'
  labels db "$1"
  printf '    expose:\n    - "7000"\n    volumes:\n    - type: "volume"\n      source: "dbdata"\n      target: "/var/lib/db"\n'
  health 7000 /health 500ms 3
  echo "  app:"
  echo "    image: \"gantry-bench/app:$1\""
  labels app "$1"
  printf '    expose:\n    - "8080"\n    depends_on:\n      db:\n        condition: "service_healthy"\n'
  health 8080 /health 500ms 3
  echo "  frontend:"
  echo '    image: "gantry-bench/nginx:1"'
  labels frontend "$1"
  printf '    ports:\n    - "127.0.0.1:%s:80"\n' "$cport"
  printf '    volumes:\n    - type: "bind"\n      source: "./nginx.conf"\n      target: "/etc/nginx/nginx.conf"\n      read_only: true\n'
  printf '    depends_on:\n      app:\n        condition: "service_started"\n'
  health 18099 / 1s 5
  printf 'volumes:\n  dbdata:\n    external: true\n    name: "%s_dbdata"\n' "$cproject"
}

handwritten_nginx() {
  cat <<'EOF'
user nginx;
worker_processes auto;
pid /tmp/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  default_type application/octet-stream;
  access_log /dev/stdout;
  client_body_temp_path /tmp/nginx-client_body;
  proxy_temp_path /tmp/nginx-proxy;
  fastcgi_temp_path /tmp/nginx-fastcgi;
  uwsgi_temp_path /tmp/nginx-uwsgi;
  scgi_temp_path /tmp/nginx-scgi;
  resolver 127.0.0.11 valid=10s ipv6=off;
  server {
    listen 80 default_server;
    location / {
      set $upstream http://app:8080;
      proxy_pass $upstream;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
    }
  }
  server { listen 127.0.0.1:18099; access_log off; location / { return 200 "ok\n"; } }
}
EOF
}

compose_up() { # RELEASE OUT.json
  cp "$work/compose-src/$1.yml" "$work/compose/compose.yml"
  bg_run python3 "$kit" compose-up --project "$cproject" --file "$work/compose/compose.yml" --services 3 \
    --out "$2" --timeout "$CMD_TIMEOUT"
}

part2() {
  local k rel order side src dst ok
  log "timing ./gantry --version and java -jar gantry.jar --version"
  for k in $(seq "$iterations"); do
    bg_run python3 "$kit" run --quiet --out "$raw/version-launcher-$k.json" --timeout 120 -- "$repo/gantry" --version
    if [ -n "$jdk" ] && [ -x "$jdk/bin/java" ] && [ -f "$jar" ]; then
      bg_run python3 "$kit" run --quiet --out "$raw/version-bare-$k.json" --timeout 120 -- "$jdk/bin/java" -jar "$jar" --version
    fi
  done

  compose_source="a compose file written in run.sh: stable names, no per-release label, so \`up -d\` recreates only the app"
  for rel in A B; do
    handwritten_compose "$rel" > "$work/compose-src/$rel.yml"
  done
  handwritten_nginx > "$work/compose/nginx.conf"
  docker volume create "${cproject}_dbdata" >/dev/null
  cp "$work/compose-src/A.yml" "$work/compose/compose.yml"
  (cd "$work/compose" && docker-compose -p "$cproject" -f compose.yml config -q) ||
    die "docker-compose rejects the compose file for the direct side ($work/compose-src/A.yml)"

  log "overhead: warm-up of both sides at release A (not measured)"
  compose_up A "$work/setup/compose-warmup.json" || die "docker-compose up of the direct side failed"
  front_answers "$cport" A || die "the direct side's front does not answer A"
  baseline A deploy bench --release A

  ov_releases=()
  for k in $(seq "$iterations"); do
    if [ $((k % 2)) -eq 1 ]; then rel=B; else rel=A; fi
    ov_releases+=("$rel")
    if [ $((k % 2)) -eq 1 ]; then order="gantry compose"; else order="compose gantry"; fi
    for side in $order; do
      sleep 2
      if [ "$side" = gantry ]; then
        log "overhead $k/$iterations: ./gantry deploy --release $rel"
        if gantry_cmd "$raw/ov-gantry-$k.json" deploy bench --release "$rel"; then
        front_answers "$gport" "$rel" ||
          incident "after overhead iteration $k, './gantry deploy --release $rel' succeeded but the front did not answer $rel within 60 s"
      else
        incident "overhead iteration $k: './gantry deploy --release $rel' failed"
      fi
      else
        log "overhead $k/$iterations: docker-compose up -d ($rel) + wait until healthy"
        compose_up "$rel" "$raw/ov-compose-$k.json" || die "docker-compose up of $rel did not get healthy"
      fi
    done
  done

  # the same deploys when the compose file also changes shape (an environment variable of app
  # changes every time), so Gantry runs docker-compose's own check of the file
  for k in $(seq "$iterations"); do
    if [ $((k % 2)) -eq 1 ]; then rel=A; else rel=B; fi
    sleep 2
    log "overhead, new shape $k/$iterations: ./gantry deploy --release $rel (BENCH_SHAPE=shape-$k)"
    export BENCH_SHAPE="shape-$k"
    if gantry_cmd "$raw/ov-shape-$k.json" deploy bench --release "$rel"; then
      front_answers "$gport" "$rel" ||
        incident "after new-shape iteration $k, './gantry deploy --release $rel' succeeded but the front did not answer $rel within 60 s"
    else
      incident "new-shape iteration $k: './gantry deploy --release $rel' failed"
    fi
    unset BENCH_SHAPE
  done
}

# ---------------------------------------------------------------- the run
compose_source="n/a (part 2 was not run)"
ov_releases=()
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
date_tag=$(date -u +%Y-%m-%d)
loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "run $stem: work dir $work, gantry front on 127.0.0.1:$gport, compose front on 127.0.0.1:$cport"

# first deploys also compile and cache infra/Infra.java; keep the files each release generates
baseline A deploy bench --release A
sysdir="$work/root/systems/$project"
for f in compose.yml nginx.conf; do if [ -f "$sysdir/$f" ]; then cp "$sysdir/$f" "$work/compose-src/A.$f"; fi; done
baseline B deploy bench --release B
for f in compose.yml nginx.conf; do if [ -f "$sysdir/$f" ]; then cp "$sysdir/$f" "$work/compose-src/B.$f"; fi; done

if [[ "$parts" == *" 1 "* ]]; then part1; else log "part 1 skipped (GANTRY_BENCH_PARTS)"; fi
if [[ "$parts" == *" 2 "* ]]; then part2; else log "part 2 skipped (GANTRY_BENCH_PARTS)"; fi

# ---------------------------------------------------------------- report
finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export BENCH_ITERATIONS="$iterations" BENCH_STARTED="$started" BENCH_FINISHED="$finished" BENCH_DATE="$date_tag" \
  BENCH_COMMIT="$(git -C "$repo" log -1 --format=%h --abbrev=12 -- . ':(exclude)bench')" \
  BENCH_SUBJECT="$(git -C "$repo" log -1 --format=%s -- . ':(exclude)bench')" \
  BENCH_HEAD="$(git -C "$repo" rev-parse --short=12 HEAD)" \
  BENCH_DIRTY="$(git -C "$repo" status --porcelain -- . ':(exclude)bench' | wc -l | sed 's/^0$//')" \
  BENCH_CORES="$(nproc)" BENCH_LOAD_START="$loadavg_start" BENCH_LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)" \
  BENCH_DOCKER="$(docker version --format '{{.Server.Version}}')" BENCH_COMPOSE="$(docker-compose version --short)" \
  BENCH_JAVA="$java_line" BENCH_NGINX="$(/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //')" BENCH_KERNEL="$(uname -r)" \
  BENCH_HEALTH_TIMEOUT="$HEALTH_TIMEOUT" BENCH_INTERVAL_MS="$INTERVAL_MS" BENCH_REQUEST_TIMEOUT="$REQUEST_TIMEOUT" \
  BENCH_COMPOSE_SOURCE="$compose_source" BENCH_OV_RELEASES="${ov_releases[*]}"
python3 - "$raw/meta.json" <<'EOF'
import json, os, sys
e = os.environ
meta = {"iterations": int(e["BENCH_ITERATIONS"]), "started": e["BENCH_STARTED"], "finished": e["BENCH_FINISHED"],
        "date": e["BENCH_DATE"], "commit": e["BENCH_COMMIT"], "commit_subject": e["BENCH_SUBJECT"], "head": e["BENCH_HEAD"],
        "dirty": bool(e["BENCH_DIRTY"]), "cores": int(e["BENCH_CORES"]), "loadavg_start": e["BENCH_LOAD_START"],
        "loadavg_end": e["BENCH_LOAD_END"], "docker": e["BENCH_DOCKER"], "compose": e["BENCH_COMPOSE"],
        "java": e["BENCH_JAVA"], "nginx": e["BENCH_NGINX"], "kernel": e["BENCH_KERNEL"],
        "health_timeout": int(e["BENCH_HEALTH_TIMEOUT"]), "interval_ms": int(e["BENCH_INTERVAL_MS"]),
        "request_timeout": float(e["BENCH_REQUEST_TIMEOUT"]), "compose_source": e["BENCH_COMPOSE_SOURCE"],
        "ov_releases": e["BENCH_OV_RELEASES"].split()}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=1)
EOF
mkdir -p "$repo/bench/results"
out="$repo/bench/results/deploy-$date_tag"
python3 "$kit" report --raw "$raw" --md "$out.md" --json "$out.json" --csv "$out-requests.csv" >/dev/null
log "wrote $out.md, $out.json and $out-requests.csv"
