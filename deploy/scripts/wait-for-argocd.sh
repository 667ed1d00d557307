#!/usr/bin/env bash
# Waits until Argo CD reports an application Synced to a given Git revision and Healthy.
# Usage: wait-for-argocd.sh APPLICATION REVISION TIMEOUT_SECONDS
# Needs ARGOCD_SERVER (https://argocd.example.org) and ARGOCD_AUTH_TOKEN (a read-only API token).
# Exits 0 when healthy, 1 when the application turns Degraded or the timeout passes, saying which.
set -euo pipefail

application=$1 revision=$2 timeout=$3
: "${ARGOCD_SERVER:?ARGOCD_SERVER must name the Argo CD server}"
: "${ARGOCD_AUTH_TOKEN:?ARGOCD_AUTH_TOKEN must hold an Argo CD API token}"
interval=${ARGOCD_POLL_SECONDS:-10}
deadline=$((SECONDS + timeout))

while true; do
  if state=$(curl --fail --silent --show-error --max-time 10 \
      -H "Authorization: Bearer $ARGOCD_AUTH_TOKEN" \
      "$ARGOCD_SERVER/api/v1/applications/$application" \
      | jq -r '[.status.sync.revision // "", .status.sync.status // "", .status.health.status // ""] | @tsv'); then
    IFS=$'\t' read -r synced_revision sync health <<<"$state"
    echo "$application: revision ${synced_revision:0:12} $sync $health"
    if [ "$synced_revision" = "$revision" ] && [ "$sync" = Synced ]; then
      case $health in
        Healthy) echo "$application is healthy at $revision"; exit 0 ;;
        Degraded) echo "$application is degraded at $revision" >&2; exit 1 ;;
      esac
    fi
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "$application did not become healthy at $revision within ${timeout}s" >&2
    exit 1
  fi
  sleep "$interval"
done
