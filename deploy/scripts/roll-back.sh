#!/usr/bin/env bash
# Rolls a stage back after a failed deploy: reverts the deploy commit, pushes the revert, and waits until
# Argo CD reports the application Synced and Healthy on it (the previous release's manifests).
# Usage: roll-back.sh APPLICATION DEPLOY_REVISION TIMEOUT_SECONDS BRANCH...
# Pushes the revert to every BRANCH of origin (prod follows deploy/prod as well as main). Run it from a
# clone whose git user is set. Exits 0 when the stage is back, 1 loudly when it is not: then nothing
# automatic is left and a person must act.
set -euo pipefail

application=$1 deploy=$2 timeout=$3
shift 3
[ $# -gt 0 ] || { echo "name at least one branch to push the revert to" >&2; exit 2; }
here=$(dirname "$0")

git pull --quiet --rebase origin "$1"
git revert --no-edit "$deploy"
refspecs=()
for branch in "$@"; do refspecs+=("HEAD:$branch"); done
git push --quiet origin "${refspecs[@]}"
revert=$(git rev-parse HEAD)
echo "reverted $deploy with $revert; waiting for $application to come back on it"

if ! "$here/wait-for-argocd.sh" "$application" "$revert" "$timeout"; then
  echo "::error::ROLLBACK FAILED: $application is not Synced and Healthy on the revert $revert of $deploy." \
    "Nothing automatic is left: see 'Rollback' in deploy/README.md (argocd app rollback $application, then fix forward)." >&2
  exit 1
fi
echo "$application is back on the previous release: the revert $revert is Synced and Healthy"
