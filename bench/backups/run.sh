#!/usr/bin/env bash
# Backup and restore of a database of SIZE_MB (default 1024) with `keepsake backup create/restore`, next
# to the raw tools in the same run: `sqlite3 .backup`/`.restore` on SQLite, `pg_dump -Fc`/`pg_restore`
# on PostgreSQL. Prints wall times and keepsake/raw ratios. Blobs go to a folder; nothing is timed twice.
# Usage: bench/backups/run.sh [SIZE_MB]   (build first: dotnet build Keepsake.slnx -c Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mb=${1:-1024}
keepsake="dotnet $PWD/src/Keepsake/bin/Release/net10.0/keepsake.dll"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/keepsake-bench-backups-XXXXXX)
chmod 755 "$work"
pg_pid_file=""
cleanup() {
  if [ -n "$pg_pid_file" ] && [ -e "$work/pg/data/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

seconds() { local start=$(date +%s.%N); "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; exit 1; }; echo "$(date +%s.%N) - $start" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }
report() { printf '%-10s %-8s keepsake %7.2f s   %-22s %7.2f s   ratio %s\n' "$1" "$2" "$3" "$4" "$5" "$(ratio "$3" "$5")"; }

echo "database size: ${size_mb} MB (rows of 1 kB text, a quarter random hex, the rest repetitive)"
rows=$((size_mb * 1024))

# --- SQLite -----------------------------------------------------------------------------------------
mkdir -p "$work/sqlite"
export KEEPSAKE_Database__Provider=sqlite KEEPSAKE_Database__ConnectionString="Data Source=$work/sqlite/keepsake.db" \
  KEEPSAKE_Storage__Path="$work/sqlite/blobs" KEEPSAKE_Backups__TemporaryPath="$work/sqlite"
$keepsake backup list >/dev/null   # creates and migrates the database
sqlite3 "$work/sqlite/keepsake.db" "CREATE TABLE bench_filler (id INTEGER PRIMARY KEY, payload TEXT);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
  INSERT INTO bench_filler SELECT i, hex(randomblob(256)) || printf('%.512c', 'x') FROM n;"
echo "sqlite file: $(du -m "$work/sqlite/keepsake.db" | cut -f1) MB"
raw_backup=$(seconds sqlite3 "$work/sqlite/keepsake.db" ".backup '$work/sqlite/raw-copy.db'")
ks_backup=$(seconds $keepsake backup create)
raw_restore=$(seconds sqlite3 "$work/sqlite/raw-target.db" ".restore '$work/sqlite/raw-copy.db'")
echo "keepsake backup: $(du -m "$work/sqlite/blobs/backups" | tail -1 | cut -f1) MB compressed"
export KEEPSAKE_Database__ConnectionString="Data Source=$work/sqlite/restored.db"
ks_restore=$(seconds $keepsake backup restore latest)
report sqlite backup "$ks_backup" "sqlite3 .backup" "$raw_backup"
report sqlite restore "$ks_restore" "sqlite3 .restore" "$raw_restore"
rm -rf "$work/sqlite"

# --- PostgreSQL -------------------------------------------------------------------------------------
mkdir -p "$work/pg" && chown postgres "$work/pg"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --no-locale -N >/dev/null
pg_pid_file=yes
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -w -l "$work/pg/server.log" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
psql -q -d postgres -c "CREATE DATABASE source" -c "CREATE DATABASE raw_target" -c "CREATE DATABASE keepsake_target"
psql -q -d source -c "CREATE TABLE bench_filler (id bigint PRIMARY KEY, payload text);
  INSERT INTO bench_filler SELECT i, md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text) || repeat(md5(i::text), 4) || repeat('x', 512) FROM generate_series(1, $rows) i;"
echo "postgres database: $(psql -At -d source -c "SELECT pg_database_size('source') / 1048576") MB"
mkdir -p "$work/pgwork" && export KEEPSAKE_Database__Provider=postgres KEEPSAKE_Storage__Path="$work/pgwork/blobs" KEEPSAKE_Backups__TemporaryPath="$work/pgwork"
export KEEPSAKE_Database__ConnectionString="Host=127.0.0.1;Port=$port;Username=postgres;Database=source"
raw_backup=$(seconds "$pg_bin/pg_dump" --format=custom --file="$work/pgwork/raw.pgdump" -d source)
ks_backup=$(seconds $keepsake backup create)
raw_restore=$(seconds "$pg_bin/pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction -d raw_target "$work/pgwork/raw.pgdump")
export KEEPSAKE_Database__ConnectionString="Host=127.0.0.1;Port=$port;Username=postgres;Database=keepsake_target"
ks_restore=$(seconds $keepsake backup restore latest)
report postgres backup "$ks_backup" "pg_dump -Fc" "$raw_backup"
report postgres restore "$ks_restore" "pg_restore" "$raw_restore"
