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
# Keepsake.Tests runs a second time on a throwaway PostgreSQL server (initdb + pg_ctl, found on PATH or
# in /usr/lib/postgresql/*/bin); no service is started by the tests or needed from the package.
command -v initdb >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing_packages+=(postgresql)

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

# The S3 tests run a real S3-compatible server (s3rver, on node), installed once outside the clone.
tools="${KEEPSAKE_TEST_TOOLS:-${HOME:-/tmp}/.cache/keepsake-test-tools}"
export KEEPSAKE_TEST_TOOLS="$tools"
if [ ! -e "$tools/node_modules/.bin/s3rver" ]; then
  say "installing s3rver into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error s3rver@3.7.1
fi

say "restoring"
dotnet restore Keepsake.slnx --nologo -v quiet
dotnet tool restore >/dev/null

say "checking formatting (dotnet format --verify-no-changes)"
dotnet format Keepsake.slnx --verify-no-changes --no-restore

say "building with warnings as errors"
dotnet build Keepsake.slnx --nologo --no-restore -v quiet -c Release

if [ -f src/Keepsake.Web/package.json ]; then
  say "running the web app's component tests (vitest)"
  (cd src/Keepsake.Web && npm test --silent)
fi

say "running the tests (SQLite), and Keepsake.Tests again on PostgreSQL alongside"
# The two runs share nothing on disk: every app has its own temporary folder and, on PostgreSQL, its own
# database on a server of that run's own. The PostgreSQL run's output is printed when it ends.
postgres_log=$(mktemp)
KEEPSAKE_TEST_DATABASE=postgres dotnet test tests/Keepsake.Tests --nologo --no-build -c Release >"$postgres_log" 2>&1 &
postgres_run=$!
sqlite_status=0
dotnet test Keepsake.slnx --nologo --no-build -c Release --logger "console;verbosity=normal" || sqlite_status=$?
postgres_status=0
wait "$postgres_run" || postgres_status=$?
say "Keepsake.Tests on PostgreSQL"
cat "$postgres_log"
rm -f "$postgres_log"
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
