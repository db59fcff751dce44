#!/usr/bin/env bash
# The example company, from nothing, on this machine: four lab machines (ci, monitor, staging,
# production) spun from examples/infra, Gantry's server and agent in containers on ci, the
# registry, the monitor with every machine's collectd, capital (examples/app) built, published,
# deployed to production, cloned to staging with anonymized data, and released again to
# production with zero downtime. docs/walkthrough.md explains each stage.
#
#   examples/run.sh            bring everything up (again: what is there is kept)
#   examples/run.sh --down     remove everything it made: machines, data, images loaded here
#
# WALK_DIR (default /var/tmp/gantry-walkthrough) holds the infrastructure repository, the
# vault's key, the SSH key and the lab's data; WALK_PREFIX (default capital) names the
# machines PREFIX-ci, PREFIX-monitor, PREFIX-staging and PREFIX-production. Needs root,
# systemd-nspawn, the lab's root filesystem and package cache (docs/cloud.md "The lab"), gpg,
# git, curl, nginx here (the front's image is made of it) and a static busybox.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${WALK_DIR:-/var/tmp/gantry-walkthrough}
prefix=${WALK_PREFIX:-capital}
gantry="$here/gantry"
infra="$work/infra"
export GANTRY_DATA_DIR="$work/data"
export GNUPGHOME="$work/gnupg"
key="$work/ssh/id_ed25519"
known="$work/ssh/known_hosts"
# OpenSSH's own (ssh, scripts/gantry-image), beside the one Gantry's spins and deploys keep
known_ssh="$work/ssh/known_hosts.openssh"
hosts=(ci monitor staging production)
timings="$work/timings"
started=$SECONDS
stage_started=$SECONDS
stage_name=""

# one line per stage, with the seconds since the start; each stage's time goes to $timings
stage() {
  finish_stage
  stage_name=$1
  stage_started=$SECONDS
  printf '[%4ds] %s\n' $((SECONDS - started)) "$1"
}
finish_stage() {
  if [ -n "$stage_name" ]; then
    printf '%s\t%d\n' "$stage_name" $((SECONDS - stage_started)) >>"$timings"
  fi
}
note() { printf '         %s\n' "$*"; }
fail() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

on() {  # on HOST COMMAND...: a command on a lab machine as root
  local address=$1; shift
  ssh -i "$key" -o BatchMode=yes -o LogLevel=ERROR -o UserKnownHostsFile="$known_ssh" -o StrictHostKeyChecking=accept-new \
    "root@$address" "$@"
}

address_of() {  # the address gantry cloud up recorded in hosts.yml
  awk -v h="$1" '$0 ~ "^  "h":$" {f=1; next} f && /address:/ {print $2; exit} /^  [^ ]/ {f=0}' "$infra/hosts.yml" | tr -d '"'
}

down() {
  stage "removing the lab machines"
  for h in "${hosts[@]}"; do
    if [ -f "$GANTRY_DATA_DIR/cloud/lab/hosts/$prefix-$h/host.json" ]; then
      "$gantry" cloud down "$prefix-$h" --yes --infra "$infra" || fail "gantry cloud down $prefix-$h failed"
    fi
  done
  stage "removing $work"
  stage_name=""  # its record goes with $work
  rm -rf "$work"
  echo "removed: lab machines $prefix-{ci,monitor,staging,production} (their Docker images with them) and $work"
}

if [ "${1:-}" = "--down" ]; then
  down
  exit 0
fi
[ $# -eq 0 ] || fail "unknown argument '$1': run.sh [--down]"
[ "$(id -u)" = 0 ] || fail "run as root: lab machines are network namespaces and nspawn containers"
for tool in git gpg ssh ssh-keygen curl systemd-nspawn /usr/sbin/nginx; do
  command -v "$tool" >/dev/null || fail "$tool is missing (docs/walkthrough.md lists what the walkthrough needs)"
done
mkdir -p "$work"
: >"$timings"; : >"$timings.figures"

stage "preparing: gantry.jar, the package cache, an SSH key and the infrastructure repository in $work"
"$gantry" --version >/dev/null
"$here/scripts/lab-apt-cache" >/dev/null
mkdir -p "$work/ssh" && chmod 700 "$work/ssh"
[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C "walkthrough@$prefix" -f "$key"
if [ ! -d "$infra/.git" ]; then
  mkdir -p "$infra"
  cp -r "$here/examples/infra/." "$infra/"
  git -C "$infra" init -q -b main
  git -C "$infra" config user.name "Walkthrough"
  git -C "$infra" config user.email "walkthrough@example.org"
fi
cp "$here/examples/infra/infra/Infra.java" "$infra/infra/Infra.java"  # the definition as this checkout has it

stage "the vault: a key for this run, the registry's password, the agents' token, the deploy key, the Slack webhook, the team CA"
mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
if [ ! -f "$work/vault-secret.asc" ]; then
  gpg --batch --quiet --passphrase '' --quick-gen-key "Walkthrough <walkthrough@example.org>" default default never 2>/dev/null
  gpg --batch --quiet --armor --export walkthrough@example.org >"$work/vault-public.asc"
  gpg --batch --quiet --armor --export-secret-keys walkthrough@example.org >"$work/vault-secret.asc"
  chmod 600 "$work/vault-secret.asc"
  "$gantry" vault add-key "$work/vault-public.asc" --infra "$infra" >/dev/null
  # random values, never printed: the registry's and the agents' credentials
  head -c 18 /dev/urandom | base64 | tr -d '/+=' | tr -d '\n' | "$gantry" vault set registry-password any --infra "$infra" >/dev/null
  head -c 24 /dev/urandom | base64 | tr -d '/+=' | tr -d '\n' | "$gantry" vault set agent-token any --infra "$infra" >/dev/null
  # the monitor's environment: the demo's Slack stand-in on the monitor machine
  printf 'GANTRY_NOTIFY_SLACK_WEBHOOK=http://127.0.0.1:9099/services/T0DEMO/B0DEMO/walkthrough\n' \
    | "$gantry" vault set monitor-notify any --infra "$infra" >/dev/null
fi
secret=(--secret-key "$work/vault-secret.asc")
if ! "$gantry" vault list --infra "$infra" 2>/dev/null | grep -q '^deploy-key'; then
  # the key CI's staging step deploys with: this run's SSH key, which every machine authorizes
  "$gantry" vault set deploy-key any --infra "$infra" <"$key" >/dev/null
fi
[ -f "$infra/ca/ca.crt" ] || "$gantry" ca init --name "Example Co CA" --infra "$infra" "${secret[@]}" >/dev/null

# infra/Lab.java: what the definition takes from this lab (see the file's comment)
write_lab() {
  cat >"$infra/infra/Lab.java" <<JAVA
/** Written by examples/run.sh: this lab's machines, addresses, team CA and Gantry's image tag. */
final class Lab {
  private Lab() {}

  static final String PREFIX = "$prefix";
  static final String CI = "${1:-10.213.1.2}";
  static final String MONITOR = "${2:-10.213.2.2}";
  static final String STAGING = "${3:-10.213.3.2}";
  static final String PRODUCTION = "${4:-10.213.4.2}";
  static final String AUTHORIZED_KEY = "$key.pub";
  static final String ROOTFS = "${GANTRY_LAB_ROOTFS:-/var/cache/gantry-test/bookworm-machine}";
  static final String CA_PEM = "$(sed 's/$/\\n/' "$infra/ca/ca.crt" | tr -d '\n')";
  static final String GANTRY_TAG = "${5:-}";
}
JAVA
}
[ -n "$(address_of "$prefix-ci" 2>/dev/null || true)" ] || write_lab

stage "four lab machines: gantry cloud up $prefix-{ci,monitor,staging,production}"
for h in "${hosts[@]}"; do
  "$gantry" cloud up "$prefix-$h" --infra "$infra" | sed -n 's/^/         /; / is up at /p'
done
ci=$(address_of "$prefix-ci"); monitor=$(address_of "$prefix-monitor")
staging=$(address_of "$prefix-staging"); production=$(address_of "$prefix-production")
for a in "$ci" "$monitor" "$staging" "$production"; do [ -n "$a" ] || fail "hosts.yml lacks an address: $(cat "$infra/hosts.yml")"; done
write_lab "$ci" "$monitor" "$staging" "$production"
git -C "$infra" add -A && git -C "$infra" commit -qm "The lab's machines and addresses" >/dev/null || true

spin() {  # spin HOST...: gantry host spin, its summary lines indented; fails when a host fails
  local out
  if ! out=$("$gantry" host spin "$@" --infra "$infra" -i "$key" --known-hosts "$known" --accept-new-host-key "${secret[@]}" 2>&1); then
    printf '%s\n' "$out" | grep -iE 'failed|error|mismatch|gantry:' | head -20 >&2
    fail "gantry host spin $* failed (the whole report: gantry host spin $* --infra $infra --dry-run)"
  fi
  printf '%s\n' "$out" | grep -E ' (held|changed|failed)' | grep -v '^ *-' | sed 's/^/         /' || true
}

stage "spinning the four machines: firewall, Docker, collectd, the registry on ci (TLS, team CA)"
spin --all

export GIT_SSH_COMMAND="ssh -i $key -o BatchMode=yes -o LogLevel=ERROR -o UserKnownHostsFile=$known_ssh -o StrictHostKeyChecking=accept-new"
central="root@$ci:/srv/gantry/repos/app.git"
app="$work/app"
stage "capital's repository: its start pushed to master on ci, before Gantry guards it"
if [ ! -d "$app/.git" ]; then
  mkdir -p "$app"
  git -C "$app" init -q -b master
  git -C "$app" config user.name "Walkthrough" && git -C "$app" config user.email "walkthrough@example.org"
  cp -r "$here/examples/app/." "$app/"
  git -C "$app" add -A && git -C "$app" commit -qm "Capital: the event service, its tests and pipeline"
  git -C "$app" push -q "$central" master  # from here on only CI's gate moves master
fi

stage "images into the registry: Gantry's (scripts/gantry-image), the front's nginx"
tag=$(git -C "$here" rev-parse --short HEAD)
registry="$ci:5000"
"$here/scripts/gantry-image" --ssh "root@$ci" -i "$key" --known-hosts "$known_ssh" --tag "$tag" >/dev/null
# the front: this machine's nginx and the libraries it links (both Debian 12), as LabImages does in the tests
nginx_root=$(mktemp -d)
mkdir -p "$nginx_root"/{bin,tmp,etc/nginx,var/lib/nginx,var/log/nginx,run,var/cache/nginx}
cp /bin/busybox "$nginx_root/bin/busybox"
for a in sh wget cat echo sleep mkdir true test; do ln -s busybox "$nginx_root/bin/$a"; done
for lib in $(ldd /usr/sbin/nginx | grep -o '/[^ ]*' | sort -u) /usr/sbin/nginx; do
  mkdir -p "$nginx_root$(dirname "$lib")" && cp -L "$lib" "$nginx_root$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101::/var/cache/nginx:/bin/false\nnobody:x:65534:65534::/nonexistent:/bin/false\n' \
  >"$nginx_root/etc/passwd"
printf 'root:x:0:\nnginx:x:101:\nnogroup:x:65534:\n' >"$nginx_root/etc/group"
printf 'events {}\nhttp { server { listen 80; } }\n' >"$nginx_root/etc/nginx/nginx.conf"
tar -C "$nginx_root" -c . | on "$ci" "docker import -c 'CMD [\"/usr/sbin/nginx\",\"-g\",\"daemon off;\"]' - $registry/capital/nginx:stable >/dev/null"
rm -rf "$nginx_root"
on "$ci" "docker tag gantry/server:$tag $registry/gantry/server:$tag && docker tag gantry/agent:$tag $registry/gantry/agent:$tag \
  && docker tag gantry/jre:$tag $registry/gantry/jre:$tag \
  && for i in gantry/server gantry/agent gantry/jre; do docker push -q $registry/\$i:$tag >/dev/null || exit 1; done \
  && docker push -q $registry/capital/nginx:stable >/dev/null \
  && docker tag gantry/jre:$tag gantry/jre:demo"  # the name capital's Dockerfile builds on

stage "Gantry on its machines: server and agent on ci, the monitor (its rules from infra/) on monitor"
write_lab "$ci" "$monitor" "$staging" "$production" "$tag"
git -C "$infra" add -A && git -C "$infra" commit -qm "Gantry $tag on ci and monitor" || true
on "$monitor" mkdir -p /etc/gantry/infra
tar -C "$infra/infra" -c . | on "$monitor" "rm -rf /etc/gantry/infra/* && tar -C /etc/gantry/infra -x"
# CI's staging step deploys with the infrastructure repository and the hosts' keys as known here
on "$ci" "mkdir -p /etc/gantry/deploy && chmod 700 /etc/gantry/deploy && rm -rf /etc/gantry/deploy/infra /etc/gantry/deploy/known_hosts"
tar -C "$work" -c infra | on "$ci" "tar -C /etc/gantry/deploy -x"
on "$ci" "cat > /etc/gantry/deploy/known_hosts" <"$known"
spin "$prefix-ci" "$prefix-monitor"
for url in "http://$ci:8080/healthz" "http://$monitor:8080/healthz"; do
  for _ in $(seq 120); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 1; done
  curl -fsS -o /dev/null "$url" || fail "$url does not answer"
done
note "server http://$ci:8080/ and monitor http://$monitor:8080/ answer"

export GANTRY_SERVER="http://$ci:8080"
GANTRY_TOKEN=$(on "$ci" cat /srv/gantry/admin-token)
export GANTRY_TOKEN
deploy_args=(--infra "$infra" --data "$work/ledger" --ssh-key "$key" --known-hosts "$known" --accept-new-host-key)

# through_ci BRANCH: push to BRANCH (the repository's hook tells the CI server) and wait until
# master holds it (CI built, tested, merged, published)
through_ci() {
  local commit
  commit=$(git -C "$app" rev-parse HEAD)
  git -C "$app" push -q -f "$central" "HEAD:$1" 2>&1 | sed 's/^/         /' >&2 || fail "git push to $1 failed"
  for _ in $(seq 600); do
    git -C "$app" fetch -q "$central" master 2>/dev/null || true
    if git -C "$app" merge-base --is-ancestor "$commit" FETCH_HEAD 2>/dev/null; then
      echo "$commit"
      return 0
    fi
    if "$gantry" ci status 2>/dev/null | grep -q "rejected.*${commit:0:7}"; then break; fi
    sleep 1
  done
  "$gantry" ci status >&2 || true
  fail "CI did not merge ${commit:0:12} (gantry ci status above; gantry ci logs RUN --server $GANTRY_SERVER)"
}

stage "a change pushed to review: CI builds, tests, publishes the image, deploys it to staging, merges"
release_note() {  # a change of the application: a line in its README
  printf '\nRelease %s by the walkthrough, %s.\n' "$1" "$(date -u +%FT%TZ)" >>"$app/README.md"
  git -C "$app" commit -qam "README: release $1"
}
release_note 1
first=$(through_ci review)
note "master has ${first:0:12}; $registry/capital/app:$first published; http://$staging/ serves it (no production data yet)"

stage "production: capital ${first:0:12} deployed behind nginx; users sign in and order; a backup"
"$gantry" deploy capital --host "$prefix-production" --release "$first" "${deploy_args[@]}" >/dev/null
for u in alice@example.com bob@example.com; do
  curl -fsS -o /dev/null -X POST "http://$production/login?user=$u"
  curl -fsS -o /dev/null -X POST "http://$production/orders?user=$u&amount=42"
done
# the backup CI's staging step clones (a deploy backs up before it changes anything, too)
"$gantry" backup create capital --host "$prefix-production" "${deploy_args[@]}" >/dev/null
note "http://$production/ serves ${first:0:12}"

stage "a change through CI (staging gets it on production's anonymized data), then promoted to production under load"
release_note 2
pushed_at=$SECONDS
second=$(through_ci review)
# CI merges only after its staging step deployed the candidate there
echo "push_to_staging_seconds=$((SECONDS - pushed_at))" >>"$timings.figures"
if curl -fsS "http://$staging/events?since=2000-01-01T00:00:00Z" | grep -q '@example.com'; then
  fail "staging holds a production e-mail address"
fi
on "$staging" "docker ps --format '{{.Image}}'" | grep -q "capital/app:$second" \
  || fail "staging does not run capital/app:${second:0:12}: $(on "$staging" "docker ps --format '{{.Image}}'")"
note "http://$staging/ serves ${second:0:12} on production's data, anonymized (CI's staging step)"
# requests all through the deploy: each answer that is not 200 counts as failed
load="$work/load"; : >"$load"
( while [ ! -f "$work/load.stop" ]; do
    curl -s -o /dev/null -m 5 -w '%{http_code}\n' "http://$production/health" >>"$load" || echo 000 >>"$load"
  done ) &
loader=$!
rm -f "$work/load.stop"
"$gantry" deploy capital --host "$prefix-production" --release "$second" "${deploy_args[@]}" >/dev/null
touch "$work/load.stop"; wait "$loader" || true; rm -f "$work/load.stop"
echo "push_to_production_seconds=$((SECONDS - pushed_at))" >>"$timings.figures"
failed=$(grep -vc '^200$' "$load" || true)
echo "deploy_requests=$(wc -l <"$load") deploy_failed_requests=$failed" >>"$timings.figures"
note "production serves ${second:0:12}: $(wc -l <"$load") requests during the deploy, $failed failed"

stage "the monitor: every machine's collectd and capital's requests"
for h in "${hosts[@]}"; do
  for _ in $(seq 60); do
    "$gantry" monitor query "host = \"$prefix-$h\" and service =~ \"cpu-%\"" --server "$monitor:5555" 2>/dev/null \
      | grep -q "$prefix-$h" && continue 2
    sleep 1
  done
  fail "no collectd events of $prefix-$h in the monitor ($monitor:5555) after 60 s"
done
"$gantry" monitor query 'service = "capital http"' --server "$monitor:5555" | grep -q capital \
  || fail "no request events of capital in the monitor ($monitor:5555)"
note "collectd of ${hosts[*]} and capital's requests are in the monitor"
note "dashboard: http://$monitor:8080/monitor"

finish_stage
stage_name=""
total=$((SECONDS - started))
echo
echo "total_seconds=$total" >>"$timings.figures"
echo "figures ($timings.figures): $(tr '\n' ' ' <"$timings.figures")"
echo "up in ${total}s. Open:"
echo "  production          http://$production/          (capital through nginx)"
echo "  staging             http://$staging/          (the same release, production's data anonymized)"
echo "  CI                  http://$ci:8080/ci       (admin token: ssh root@$ci cat /srv/gantry/admin-token)"
echo "  monitor             http://$monitor:8080/monitor  (every machine's collectd, capital's requests, alerts;"
echo "                      token: ssh root@$monitor cat /var/lib/docker/volumes/gantry-monitor/_data/admin-token)"
echo "  registry            https://$ci:5000/v2/_catalog (user ci; CA $infra/ca/ca.crt)"
echo "  the infrastructure  $infra/infra/Infra.java     (gantry host info --infra $infra)"
echo
echo "Try next (the lines set what they need: paste them into a root shell here):"
cat <<TRY
  export GANTRY_DATA_DIR=$GANTRY_DATA_DIR GNUPGHOME=$GNUPGHOME GANTRY_SERVER=$GANTRY_SERVER GANTRY_TOKEN=\$(ssh -i $key root@$ci cat /srv/gantry/admin-token)
  export GIT_SSH_COMMAND="$GIT_SSH_COMMAND"; cd $app
  # break a test and push: CI rejects it, master keeps what passed
  sed -i 's/check(Event.parse(e.toJson()).equals(e)/check(!Event.parse(e.toJson()).equals(e)/' src/test/java/capital/events/AppTest.java && git commit -qam "A broken test"
  git push -f $central HEAD:review && sleep 20 && $gantry ci status
  # raise the event schema and try a rollback: refused on production (roll forward instead)
  #   (Schema.VERSION = 2 in the app and eventSchema(2) in $infra/infra/Infra.java, through CI, deployed; then)
  $gantry rollback capital --host $prefix-production --infra $infra --data $work/ledger --ssh-key $key --known-hosts $known
  # stop collectd on a machine: one host-down alert reaches the Slack receiver on the monitor machine
  ssh -i $key root@$staging systemctl stop collectd; sleep 40; ssh -i $key root@$monitor cat /var/log/slack-receiver.jsonl
  # fill a disk: one disk-full alert for df-srv-full; umount /srv/full afterwards
  ssh -i $key root@$production 'mkdir -p /srv/full && mount -t tmpfs -o size=8m full /srv/full && dd if=/dev/zero of=/srv/full/fill bs=1M count=8'
  sleep 15; ssh -i $key root@$monitor cat /var/log/slack-receiver.jsonl
TRY
echo "Remove everything:  $0 --down"
