#!/usr/bin/env bash
# The map's markers at 100 000 photos with a place (and 20 000 without), on SQLite and on PostgreSQL: the query plans
# of the markers' query and the size and time of the answers (the whole set page by page, a box, a box across the
# antimeridian, a month). Rows go straight into the app's own table, migrated by the app.
# Usage: bench/map/run.sh [KEEPSAKE_BUILD_FOLDER]   (default: src/Keepsake/bin/Release/net10.0 of this tree, built)
# Everything runs on 127.0.0.1 in a temporary folder and is stopped and removed on exit. PostgreSQL is skipped unless
# run as root with PostgreSQL's binaries installed (they run as the postgres user).
set -euo pipefail
cd "$(dirname "$0")/../.."
app=$(realpath "${1:-src/Keepsake/bin/Release/net10.0}")
[ -f "$app/keepsake.dll" ] || { echo "no keepsake.dll in $app: build with 'dotnet build src/Keepsake -c Release' first" >&2; exit 1; }
work=$(mktemp -d) && chmod 755 "$work"  # PostgreSQL runs as its own user and must reach its folder
server_pid="" pg_data="" pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1 || true)
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$pg_data" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
email=bench@example.com password='correct horse battery' photos=120000 located=100000
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
keepsake() { (cd "$1" && shift && env "${settings[@]}" dotnet "$app/keepsake.dll" "$@"); }

# measure LIBRARY: starts the server, signs in, warms up and prints the table rows.
measure() {
  local port; port=$(free_port)
  (cd "$1" && exec env "${settings[@]}" dotnet "$app/keepsake.dll" --urls "http://127.0.0.1:$port" >"$1/server.out" 2>&1) &
  server_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz/live" 2>/dev/null || curl -sf -o /dev/null "http://127.0.0.1:$port/api/setup"; do sleep 0.1; done
  curl -sf -c "$work/cookies" -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
    "http://127.0.0.1:$port/api/auth/login" >/dev/null
  python3 - "$port" "$(awk '$6 == "keepsake.auth" { print $6 "=" $7 }' "$work/cookies")" <<'PYTHON'
import json, statistics, sys, time, urllib.request
port, cookie = sys.argv[1], sys.argv[2]
def get(query):
    started = time.perf_counter()
    body = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/map/markers?{query}", headers={"Cookie": cookie})).read()
    return time.perf_counter() - started, body
def whole(limit):
    seconds, size, count, cursor = 0.0, 0, 0, None
    while True:
        took, body = get(f"limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        page = json.loads(body)
        seconds, size, count, cursor = seconds + took, size + len(body), count + len(page["markers"]), page["nextCursor"]
        if not cursor:
            return seconds, size, count
for _ in range(3):
    whole(20000)
print("| request | markers | bytes | median (min) of the time |\n|---|---|---|---|")
for limit in (20000, 5000):
    runs = [whole(limit) for _ in range(5)]
    print(f"| every marker, pages of {limit} | {runs[0][2]} | {runs[0][1] / 1e6:.2f} MB | {statistics.median(r[0] for r in runs) * 1000:.0f} ms ({min(r[0] for r in runs) * 1000:.0f}) |")
for name, query in (("the first page of 20 000", "limit=20000"), ("a box: Europe", "bbox=-10,35,30,60"),
                    ("a box across the antimeridian", "bbox=170,-30,-170,0"), ("a month (its first 5 000)", "from=2017-08-01&to=2017-08-31")):
    runs = [get(query) for _ in range(9)]
    print(f"| {name} (`{query}`) | {len(json.loads(runs[0][1])['markers'])} | {len(runs[0][1]) / 1e3:.0f} kB | "
          f"{statistics.median(r[0] for r in runs) * 1000:.1f} ms ({min(r[0] for r in runs) * 1000:.1f}) |")
PYTHON
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

markers_query() { # WHERE-clause tail: the markers' query as EF Core writes it, with the box's conditions
  echo "SELECT p.\"Id\", p.\"Latitude\", p.\"Longitude\" FROM photos AS p WHERE p.\"OwnerId\" = $1 AND p.\"TrashedAt\" IS NULL
    AND NOT (p.\"IsArchived\") AND p.\"Latitude\" IS NOT NULL AND p.\"Longitude\" IS NOT NULL$2 ORDER BY p.\"TimelineAt\" DESC, p.\"Id\" DESC LIMIT 20001"
}
box=" AND p.\"Latitude\" >= 35 AND p.\"Latitude\" <= 60 AND p.\"Longitude\" >= -10 AND p.\"Longitude\" <= 30"
echo "# The map's markers at $located photos with a place ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"

# --- SQLite ---------------------------------------------------------------------------------------------------
mkdir -p "$work/sqlite"
settings=("KEEPSAKE_Database__ConnectionString=Data Source=$work/sqlite/keepsake.db" "KEEPSAKE_Storage__Path=$work/sqlite/data"
  "KEEPSAKE_DataProtection__KeyEncryptionKey=$(openssl rand -base64 32)" "KEEPSAKE_Management__Port=0")
keepsake "$work/sqlite" user create "$email" --password-stdin <<<"$password" >/dev/null
db=$work/sqlite/keepsake.db
owner=$(sqlite3 "$db" "SELECT Id FROM AspNetUsers WHERE NormalizedEmail = upper('$email')")
sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $photos)
  INSERT INTO photos (Id, OwnerId, OriginalFileName, Format, SizeBytes, Sha256, Width, Height, Orientation, UploadedAt, TimelineAt,
    Latitude, Longitude, IsFavorite, IsArchived)
  SELECT printf('%08X-0000-7000-8000-%012X', i, i), '$owner', printf('seed-%06d.jpg', i), 'jpeg', 1000000, printf('%064x', i),
    4000, 3000, 1, '2026-01-01 00:00:00', strftime('%Y-%m-%d %H:%M:%S', 1500000000 + i * 60, 'unixepoch'),
    CASE WHEN i <= $located THEN round(-60 + ((i * 7919) % 120000) / 1000.0, 6) END,
    CASE WHEN i <= $located THEN round(-180 + ((i * 104729) % 360000) / 1000.0, 6) END, 0, 0 FROM n;
  ANALYZE;"
echo; echo "## SQLite $(sqlite3 --version | cut -d' ' -f1) (the sqlite3 shell's plan)"; echo; echo '```'
sqlite3 "$db" "EXPLAIN QUERY PLAN $(markers_query "'$owner'" "")"
sqlite3 "$db" "EXPLAIN QUERY PLAN $(markers_query "'$owner'" "$box")"
echo '```'; echo
measure "$work/sqlite"

# --- PostgreSQL -------------------------------------------------------------------------------------------------
if [ -z "$pg_bin" ] || [ "$(id -u)" -ne 0 ]; then
  echo; echo "(PostgreSQL skipped: run as root with PostgreSQL installed)"; exit 0
fi
mkdir -p "$work/pg" "$work/pglib" && chown postgres "$work/pg"
pg_port=$(free_port) pg_data=$work/pg/data
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --no-locale -N >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$work/pg/server.log" -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
psql=("$pg_bin/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE keepsake"
settings=(KEEPSAKE_Database__Provider=postgres "KEEPSAKE_Database__ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=keepsake"
  "KEEPSAKE_Storage__Path=$work/pglib/data" "KEEPSAKE_DataProtection__KeyEncryptionKey=$(openssl rand -base64 32)" "KEEPSAKE_Management__Port=0")
keepsake "$work/pglib" migrate --no-backup >/dev/null 2>&1
keepsake "$work/pglib" user create "$email" --password-stdin <<<"$password" >/dev/null
"${psql[@]}" -d keepsake -c "INSERT INTO photos (\"Id\", \"OwnerId\", \"OriginalFileName\", \"Format\", \"SizeBytes\", \"Sha256\",
    \"Width\", \"Height\", \"Orientation\", \"UploadedAt\", \"TimelineAt\", \"Latitude\", \"Longitude\")
  SELECT format('%s-0000-7000-8000-%s', lpad(to_hex(i), 8, '0'), lpad(to_hex(i), 12, '0'))::uuid,
    (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = upper('$email')), format('seed-%s.jpg', i), 'jpeg', 1000000,
    lpad(to_hex(i), 64, '0'), 4000, 3000, 1, '2026-01-01Z', to_timestamp(1500000000 + i * 60),
    CASE WHEN i <= $located THEN round((-60 + ((i * 7919) % 120000) / 1000.0)::numeric, 6) END,
    CASE WHEN i <= $located THEN round((-180 + ((i::bigint * 104729) % 360000) / 1000.0)::numeric, 6) END
  FROM generate_series(1, $photos) i" -c "VACUUM ANALYZE photos"
owner=$("${psql[@]}" -d keepsake -At -c "SELECT \"Id\" FROM \"AspNetUsers\"")
echo; echo "## PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }')"; echo; echo '```'
for where in "" "$box"; do
  "${psql[@]}" -d keepsake -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) $(markers_query "'$owner'" "$where")"
done
echo '```'; echo
measure "$work/pglib"
