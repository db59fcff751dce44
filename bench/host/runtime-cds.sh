#!/usr/bin/env bash
# What a class-data archive would buy the host runtime (run as root on a test machine).
# One Debian test host (a copy of the project's test root filesystem with its own sshd on a
# loopback port) is spun once through `./gantry` with bench/host's 100 checks; the request the
# runtime read is kept, and the runtime is then run on the host against that request, RUNS times
# (default 5) each way, alternating: as Gantry runs it (no archive: the image stays small), and
# with a static CDS archive of exactly the classes this spin loads. It prints user + system CPU
# and the archive's size.
# Results: bench/results/host-runtime-cds.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${RUNS:-5}
work=$(mktemp -d /var/tmp/gantry-host-cds.XXXXXX)
JAVA=${JAVA:-$("$root/scripts/jdk")/bin/java}
cleanup() {
  [ -f "$work/h1/run/sshd.pid" ] && kill "$(cat "$work/h1/run/sshd.pid")" 2>/dev/null || true
  umount -l "$work/h1/proc" 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

(cd "$root" && ./mvnw -q -B -pl bench/host -am compile)
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
base=$("$root/scripts/test-rootfs")
d="$work/h1"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp -a "$base" "$d"
mount -t proc proc "$d/proc"
chroot "$d" ssh-keygen -A >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$work/id"
mkdir -p "$d/run/sshd" "$d/root/.ssh"; chmod 700 "$d/root/.ssh"; cp "$work/id.pub" "$d/root/.ssh/authorized_keys"
chroot "$d" /usr/sbin/sshd -p "$port" -o ListenAddress=127.0.0.1 -o UseDNS=no
for k in "$d"/etc/ssh/ssh_host_*_key.pub; do echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$k")" >> "$work/kh"; done
"$JAVA" -cp "$cp" dev.gantry.bench.host.HostBench generate "$work/repo" "$port"
git -C "$work/repo" init -q -b main
git -C "$work/repo" -c user.name=bench -c user.email=bench@example.org add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@example.org commit -q -m "the definition"
spin() { "$root/gantry" host spin h1 --infra "$work/repo" --known-hosts "$work/kh" -i "$work/id" >"$work/spin.out" 2>&1 || { cat "$work/spin.out"; exit 1; }; }
echo "converging the host (installs the runtime)" >&2
spin

# keep the request a no-change spin sends: the runtime's java wrapped once to copy its input
javadir=$(ls -d "$d"/var/lib/gantry/java/java-*)
mv "$javadir/bin/java" "$javadir/bin/java.real"
printf '#!/bin/sh\necho "$@" > /tmp/args\ntee /tmp/request | "$(dirname "$0")/java.real" "$@"\n' > "$javadir/bin/java"
chmod 755 "$javadir/bin/java"
spin
grep -q "100 ok, 0 changed" "$work/spin.out" || { cat "$work/spin.out"; exit 1; }
read -r -a args < "$d/tmp/args"
java_in_host="/var/lib/gantry/java/$(basename "$javadir")/bin/java.real"
jar=${args[-1]}
opts=("${args[@]:0:${#args[@]}-2}")  # the options before -jar JAR

chroot "$d" "$java_in_host" "${opts[@]}" -XX:DumpLoadedClassList=/tmp/classes.lst -jar "$jar" < "$d/tmp/request" > /dev/null
chroot "$d" "$java_in_host" "${opts[@]}" -Xshare:dump -XX:SharedClassListFile=/tmp/classes.lst \
  -XX:SharedArchiveFile=/tmp/spin.jsa -cp "$jar" > /dev/null 2>&1
classes=$(grep -vc '^@' "$d/tmp/classes.lst")
jsa_kib=$(du -k "$d/tmp/spin.jsa" | cut -f1)
runtime_kib=$(du -sk "$d/var/lib/gantry" | cut -f1)

tick=$(getconf CLK_TCK)
cpu_ms() {  # user + system CPU of one run of the runtime on the request, in ms
  local me=$BASHPID t0 t1  # this subshell: its waited-for children are the run
  t0=$(awk -v t="$tick" '{printf "%d", ($16 + $17) * 1000 / t}' "/proc/$me/stat")
  chroot "$d" "$java_in_host" "${opts[@]}" "$@" -jar "$jar" < "$d/tmp/request" > "$work/out" 2>&1 \
    || { echo "the runtime failed: $(tail -c 300 "$work/out")" >&2; exit 1; }
  t1=$(awk -v t="$tick" '{printf "%d", ($16 + $17) * 1000 / t}' "/proc/$me/stat")
  echo $((t1 - t0))
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
plain=(); cds=()
for r in $(seq 1 "$runs"); do
  if [ $((r % 2)) -eq 1 ]; then plain+=("$(cpu_ms)"); cds+=("$(cpu_ms -XX:SharedArchiveFile=/tmp/spin.jsa)")
  else cds+=("$(cpu_ms -XX:SharedArchiveFile=/tmp/spin.jsa)"); plain+=("$(cpu_ms)"); fi
done
mp=$(echo "${plain[*]}" | median); mc=$(echo "${cds[*]}" | median)
out="$root/bench/results/host-runtime-cds.md"
cat > "$out" <<MD
# Host runtime: CPU of a no-change spin with and without a class-data archive

Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; load average before: $load_before.
The host runtime Gantry installs (a jlink'd java.base, compressed, no archive; ${runtime_kib} KiB with the
host bundle) run on one Debian test host against the request of a no-change spin of bench/host's 100
checks; user + system CPU of the runtime and what it ran, median of $runs runs each, alternating.

| runtime | median CPU | all runs (ms) |
| --- | ---: | --- |
| as installed (no archive) | ${mp} ms | ${plain[*]} |
| with a static CDS archive of the spin's $classes classes | ${mc} ms | ${cds[*]} |

The archive costs **$((jsa_kib / 1024)) MiB** on the host (${jsa_kib} KiB), which would take the runtime from
$((runtime_kib / 1024)) MiB to $(((runtime_kib + jsa_kib) / 1024)) MiB, past the 40 MB the host runtime is held to.

Reproduce: \`bench/host/runtime-cds.sh\` (root; RUNS adjustable).
MD
cat "$out"
