#!/usr/bin/env bash
# Waits until Argo CD reports an application Synced to a given Git revision and Healthy, and stops at the
# first poll that shows the deploy failed.
# Usage: wait-for-argocd.sh APPLICATION REVISION TIMEOUT_SECONDS
# Needs ARGOCD_SERVER (https://argocd.example.org) and ARGOCD_AUTH_TOKEN (a read-only API token);
# ARGOCD_POLL_SECONDS sets the interval (10 by default).
#
# Reads the Application's status the way Argo CD documents it (pkg/apis/application/v1alpha1/types.go):
#   status.operationState of this revision: phase Error (the sync could not run)  -> error
#     phase Failed, or a syncResult.resources[] entry with hookPhase Failed/Error or
#     status SyncFailed (a failed PreSync hook shows there before the phase turns)  -> failed
#   status.sync.revision = REVISION and status.health.status Degraded              -> degraded
#   Synced and Healthy at REVISION with this revision's operation Succeeded         -> healthy
#   anything else until the timeout (e.g. a pod whose probe never passes)           -> timeout
# Prints one line per poll and a last line "VERDICT <verdict> after N polls in Ss: <why>".
# Exits 0 when healthy and 1 otherwise.
set -euo pipefail

application=$1 revision=$2 timeout=$3
: "${ARGOCD_SERVER:?ARGOCD_SERVER must name the Argo CD server}"
: "${ARGOCD_AUTH_TOKEN:?ARGOCD_AUTH_TOKEN must hold an Argo CD API token}"
interval=${ARGOCD_POLL_SECONDS:-10}
started=$EPOCHREALTIME
deadline=$(awk -v from="$started" -v timeout="$timeout" 'BEGIN { printf "%.6f", from + timeout }')
polls=0

# One line: verdict, then what Argo CD says about it. Only an operation of this revision counts: the
# last operation may still be the previous deploy's.
# shellcheck disable=SC2016 # jq's variables, not the shell's
verdict_of='
  .status as $s
  | ($s.operationState // {}) as $op
  | (($op.operation.sync.revision // $op.syncResult.revision // "") == $rev) as $ours
  | [($op.syncResult.resources // [])[]
      | select(.hookPhase == "Failed" or .hookPhase == "Error" or .status == "SyncFailed")
      | "\(.kind)/\(.name)\(if (.hookType // "") != "" then " (\(.hookType) hook)" else "" end): \(.message // "no message")"] as $failed
  | [($s.resources // [])[] | select(.health.status == "Degraded")
      | "\(.kind)/\(.name): \(.health.message // "no message")"] as $degraded
  | ($s.sync.revision // "") as $synced
  | "\($synced[0:12]) \($s.sync.status // "-") \($s.health.status // "-") operation \(if $ours then $op.phase // "-" else "-" end)" as $summary
  | if $ours and $op.phase == "Error" then ["error", "the sync could not run: \($op.message // "no message")"]
    elif $ours and ($op.phase == "Failed" or ($failed | length) > 0) then
      ["failed", ([$op.message // empty] + $failed | join("; "))]
    elif $synced == $rev and $s.health.status == "Degraded" then
      ["degraded", ([$s.health.message // empty] + $degraded | join("; "))]
    elif $synced == $rev and $s.sync.status == "Synced" and $s.health.status == "Healthy"
         and (($ours | not) or $op.phase == "Succeeded") then ["healthy", "Synced and Healthy"]
    else ["waiting", $summary]
    end
  | @tsv'

finish() {
  local verdict=$1 why=$2 elapsed
  elapsed=$(awk -v from="$started" -v to="$EPOCHREALTIME" 'BEGIN { printf "%.1f", to - from }')
  if [ "$verdict" = healthy ]; then
    echo "$application is healthy at $revision"
    echo "VERDICT $verdict after $polls polls in ${elapsed}s: $why"
    exit 0
  fi
  echo "VERDICT $verdict after $polls polls in ${elapsed}s: $why" >&2
  exit 1
}

while true; do
  polls=$((polls + 1))
  if answer=$(curl --fail --silent --show-error --max-time 10 \
      -H "Authorization: Bearer $ARGOCD_AUTH_TOKEN" \
      "$ARGOCD_SERVER/api/v1/applications/$application") &&
     state=$(jq -r --arg rev "$revision" "$verdict_of" <<<"$answer"); then
    IFS=$'\t' read -r verdict why <<<"$state"
    echo "poll $polls: $application $why"
    case $verdict in
      healthy) finish healthy "$application is Synced and Healthy at $revision" ;;
      error) finish error "$application: $why" ;;
      failed) finish failed "$application: the sync of $revision failed: $why" ;;
      degraded) finish degraded "$application is degraded at $revision: $why" ;;
    esac
  else
    echo "poll $polls: Argo CD did not answer for $application" >&2
  fi
  if awk -v now="$EPOCHREALTIME" -v deadline="$deadline" 'BEGIN { exit !(now >= deadline) }'; then
    finish timeout "$application did not become healthy at $revision within ${timeout}s"
  fi
  sleep "$interval"
done
