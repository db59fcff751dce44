#!/bin/sh
# Deploys the candidate (the image the image step pushed, tagged with the commit) to staging
# on production's data: production's latest backup, passed through capital's anonymizer
# (gantry env clone --release). Before production has a backup (the first release) staging
# gets the candidate on empty data, and says so.
#
# From the agent's environment (examples/infra/infra/Infra.java sets them on the builder):
#   STAGING_HOST, PRODUCTION_HOST   the hosts of the infrastructure definition
#   GANTRY_DEPLOY_DIR               read-only: infra/ (the infrastructure repository), known_hosts
#                                   and id_ed25519 (the key the deploy logs in with)
# GANTRY_COMMIT is the candidate, set by the agent.
set -eu
: "${GANTRY_COMMIT:?the agent sets GANTRY_COMMIT}"
: "${STAGING_HOST:?STAGING_HOST is not set: this agent deploys no staging}"
: "${PRODUCTION_HOST:?PRODUCTION_HOST is not set}"
: "${GANTRY_DEPLOY_DIR:?GANTRY_DEPLOY_DIR is not set}"
work=${GANTRY_DEPLOY_WORK:-/var/lib/gantry-agent/deploy}
mkdir -p "$work"
# a deploy records the release in the repository's hosts.yml: this agent's own copy
rm -rf "$work/infra"
cp -r "$GANTRY_DEPLOY_DIR/infra" "$work/infra"
cp "$GANTRY_DEPLOY_DIR/known_hosts" "$work/known_hosts"
set -- --infra "$work/infra" --data "$work/data" --ssh-key "$GANTRY_DEPLOY_DIR/id_ed25519" --known-hosts "$work/known_hosts"
backups=$(gantry backup list capital --host "$PRODUCTION_HOST" "$@")  # fails the step when production is out of reach
if [ -n "$backups" ]; then
  echo "staging: $GANTRY_COMMIT on $PRODUCTION_HOST's latest backup, anonymized"
  gantry env clone "$PRODUCTION_HOST" --to "$STAGING_HOST" --system capital --release "$GANTRY_COMMIT" "$@"
else
  echo "staging: $PRODUCTION_HOST has no backup of capital yet; $GANTRY_COMMIT on empty data"
  gantry deploy capital --host "$STAGING_HOST" --release "$GANTRY_COMMIT" "$@"
fi
