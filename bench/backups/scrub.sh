#!/usr/bin/env bash
# Time of `keepsake backup scrub` rewriting one backup of a library of PHOTOS photos (default 1000), on SQLite
# and on PostgreSQL: two users, the one to be erased holds every photo but one; `keepsake import` fills the
# library (unique copies of a tiny test JPEG, so nothing is a duplicate); `keepsake backup create`; the
# erasure is written to the ledger the way the erasure engine writes it; then the scrub is timed. Blobs go
# to a folder. The time includes the process start (about 1.5 s of CPU).
# Usage: bench/backups/scrub.sh [PHOTOS]   (build first: dotnet build src/Keepsake -c Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
photos=${1:-1000}
keepsake="dotnet $PWD/src/Keepsake/bin/Release/net10.0/keepsake.dll"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/keepsake-bench-scrub-XXXXXX)
chmod 755 "$work"
pg_started=""
cleanup() {
  if [ -n "$pg_started" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

seconds() { local start=$(date +%s.%N); "$@" >"$work/last.out" 2>"$work/last.err" || { cat "$work/last.out" "$work/last.err" >&2; exit 1; }; echo "$(date +%s.%N) - $start" | bc; }

mkdir -p "$work/photos"
for i in $(seq 1 "$photos"); do
  # Bytes after the JPEG's end marker change its SHA-256 and nothing a decoder reads.
  { cat ../shared/testdata/photos/tiny-1x1-apple-iphone-xr.jpg; printf 'copy %d' "$i"; } >"$work/photos/$i.jpg"
done

# fill STACK: two users, every photo but one imported for the friend, one for the owner, then a backup.
fill() {
  printf 'correct horse battery\n' | $keepsake user create owner@example.com --admin --password-stdin >/dev/null
  printf 'correct horse battery\n' | $keepsake user create friend@example.com --password-stdin >/dev/null
  mkdir -p "$work/owner" && mv "$work/photos/1.jpg" "$work/owner/"
  $keepsake import "$work/owner" --user owner@example.com >/dev/null
  local imported; imported=$(seconds $keepsake import "$work/photos" --user friend@example.com)
  echo "$1: imported $photos photos in ${imported} s"
  mv "$work/owner/1.jpg" "$work/photos/" && rmdir "$work/owner"
  $keepsake backup create >/dev/null 2>&1
}

# erase ID: the ledger entry, as ErasureLedger writes it (the scrub reads nothing else).
erase() {
  local now; now=$(date -u +%Y%m%dT%H%M%S%7NZ)
  mkdir -p "$KEEPSAKE_Storage__Path/ledger/erasures"
  printf '{"userId":"%s","erasedAt":"%s"}' "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$KEEPSAKE_Storage__Path/ledger/erasures/$now-${1//-/}.json"
}

# report STACK DUMP_KB: the scrub, then for scale a scrub with nothing to do (process start, ledger, list) and a
# verify of the scrubbed backup (one restore into a scratch database; the scrub does two and a dump).
report() {
  local took; took=$(seconds $keepsake backup scrub)
  grep -q '^scrubbed 1, already clean 0, failed 0$' "$work/last.out" || { cat "$work/last.out" "$work/last.err" >&2; exit 1; }
  local again; again=$(seconds $keepsake backup scrub)
  local verify; verify=$(seconds $keepsake backup verify latest)
  printf '%-10s scrub of one backup (%s photos, %s KB dump): %6.2f s; scrub with nothing to do: %5.2f s; verify: %5.2f s\n' \
    "$1" "$photos" "$2" "$took" "$again" "$verify"
}

# --- SQLite -----------------------------------------------------------------------------------------
mkdir -p "$work/sqlite"
export KEEPSAKE_Database__Provider=sqlite KEEPSAKE_Database__ConnectionString="Data Source=$work/sqlite/keepsake.db" \
  KEEPSAKE_Storage__Path="$work/sqlite/blobs" KEEPSAKE_Backups__TemporaryPath="$work/sqlite"
fill sqlite
erase "$(sqlite3 "$work/sqlite/keepsake.db" "SELECT lower(Id) FROM AspNetUsers WHERE Email = 'friend@example.com'")"
report sqlite "$(du -k "$work"/sqlite/blobs/backups/*/database.* | cut -f1)"
rm -rf "$work/sqlite"

# --- PostgreSQL -------------------------------------------------------------------------------------
mkdir -p "$work/pg" "$work/pgwork" && chown postgres "$work/pg"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --no-locale -N >/dev/null
pg_started=yes
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -w -l "$work/pg/server.log" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
psql -q -d postgres -c "CREATE DATABASE keepsake"
export KEEPSAKE_Database__Provider=postgres KEEPSAKE_Database__ConnectionString="Host=127.0.0.1;Port=$port;Username=postgres;Database=keepsake" \
  KEEPSAKE_Storage__Path="$work/pgwork/blobs" KEEPSAKE_Backups__TemporaryPath="$work/pgwork"
$keepsake migrate --no-backup >/dev/null 2>&1
fill postgres
erase "$(psql -At -d keepsake -c "SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"Email\" = 'friend@example.com'")"
report postgres "$(du -k "$work"/pgwork/blobs/backups/*/database.* | cut -f1)"
