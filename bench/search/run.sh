#!/usr/bin/env bash
# Search at 100 000 photos, on SQLite (FTS5) and on PostgreSQL (pg_trgm + unaccent): how long seeding takes with the
# index's triggers firing on every row, the plans, and the time of GET /api/search's first page for a camera word, a
# place word, a year and a place with a year. Rows go straight into the app's own table, migrated by the app.
# Usage: bench/search/run.sh [KEEPSAKE_BUILD_FOLDER]   (default: src/Keepsake/bin/Release/net10.0 of this tree, built)
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
email=bench@example.com password='correct horse battery' photos=100000
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
keepsake() { (cd "$1" && shift && env "${settings[@]}" dotnet "$app/keepsake.dll" "$@"); }
# Five cameras and ten towns in turn; one photo every 5 000 s from 2010 on (about 6 300 in 2019).
makes="('Canon'),('NIKON CORPORATION'),('Apple'),('FUJIFILM'),('SONY')"
models="('Canon EOS 5D Mark IV'),('NIKON D750'),('iPhone 12'),('X-T4'),('ILCE-7M3')"
towns="('Paris','Île-de-France','France'),('Rome','Lazio','Italy'),('Berlin','Berlin','Germany'),('Madrid','Madrid','Spain'),
  ('Lisbon','Lisbon','Portugal'),('Vienna','Vienna','Austria'),('Prague','Prague','Czechia'),('Oslo','Oslo','Norway'),
  ('Dublin','Leinster','Ireland'),('Zürich','Zurich','Switzerland')"

# measure LIBRARY: starts the server, signs in, warms up and prints the table rows.
measure() {
  local port; port=$(free_port)
  (cd "$1" && exec env "${settings[@]}" dotnet "$app/keepsake.dll" --urls "http://127.0.0.1:$port" >"$1/server.out" 2>&1) &
  server_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/setup"; do sleep 0.1; done
  curl -sf -c "$work/cookies" -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
    "http://127.0.0.1:$port/api/auth/login" >/dev/null
  python3 - "$port" "$(awk '$6 == "keepsake.auth" { print $6 "=" $7 }' "$work/cookies")" <<'PYTHON'
import json, statistics, sys, time, urllib.parse, urllib.request
port, cookie = sys.argv[1], sys.argv[2]
def get(query):
    started = time.perf_counter()
    body = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/search?{query}", headers={"Cookie": cookie})).read()
    return time.perf_counter() - started, json.loads(body)
searches = (("a camera word", "canon"), ("a camera word's start", "fuji"), ("a place word", "paris"), ("a year", "2019"),
            ("a place and a year", "paris 2019"), ("a word of two fields", "zurich switzerland"), ("a word nothing has", "zanzibar"))
for _, q in searches:
    for _ in range(3):
        get("q=" + urllib.parse.quote(q))
print("| search (first page of 100) | on the page | next page | median (min, max) of 15 |\n|---|---|---|---|")
for name, q in searches:
    runs = [get("q=" + urllib.parse.quote(q)) for _ in range(15)]
    times = [r[0] * 1000 for r in runs]
    page = runs[0][1]
    print(f"| {name} (`{q}`) | {len(page['items'])} | {'yes' if page['nextCursor'] else 'no'} | "
          f"{statistics.median(times):.1f} ms ({min(times):.1f}, {max(times):.1f}) |")
PYTHON
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "# Search at $photos photos ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"

# --- SQLite ---------------------------------------------------------------------------------------------------
mkdir -p "$work/sqlite"
settings=("KEEPSAKE_Database__ConnectionString=Data Source=$work/sqlite/keepsake.db" "KEEPSAKE_Storage__Path=$work/sqlite/data"
  "KEEPSAKE_DataProtection__KeyEncryptionKey=$(openssl rand -base64 32)" "KEEPSAKE_Management__Port=0")
keepsake "$work/sqlite" user create "$email" --password-stdin <<<"$password" >/dev/null
db=$work/sqlite/keepsake.db
owner=$(sqlite3 "$db" "SELECT Id FROM AspNetUsers WHERE NormalizedEmail = upper('$email')")
started=$(date +%s.%N)
sqlite3 "$db" "CREATE TEMP TABLE makes(i INTEGER PRIMARY KEY, make TEXT); INSERT INTO makes(make) VALUES $makes;
  CREATE TEMP TABLE models(i INTEGER PRIMARY KEY, model TEXT); INSERT INTO models(model) VALUES $models;
  CREATE TEMP TABLE towns(i INTEGER PRIMARY KEY, city TEXT, region TEXT, country TEXT); INSERT INTO towns(city, region, country) VALUES $towns;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $photos)
  INSERT INTO photos (Id, OwnerId, OriginalFileName, Format, SizeBytes, Sha256, Width, Height, Orientation, UploadedAt, TakenAt, TimelineAt,
    CameraMake, CameraModel, PlaceCity, PlaceRegion, PlaceCountry, PlaceLookedUp, IsFavorite, IsArchived)
  SELECT printf('%08X-0000-7000-8000-%012X', n.i, n.i), '$owner', printf('IMG_%06d.jpg', n.i), 'jpeg', 1000000, printf('%064x', n.i),
    4000, 3000, 1, '2026-01-01 00:00:00', strftime('%Y-%m-%d %H:%M:%S', 1262304000 + n.i * 5000, 'unixepoch'),
    strftime('%Y-%m-%d %H:%M:%S', 1262304000 + n.i * 5000, 'unixepoch'),
    (SELECT make FROM makes WHERE i = n.i % 5 + 1), (SELECT model FROM models WHERE i = n.i % 5 + 1),
    t.city, t.region, t.country, 1, 0, 0
  FROM n JOIN towns t ON t.i = n.i % 10 + 1;
  ANALYZE;"
echo; echo "## SQLite $(sqlite3 --version | cut -d' ' -f1) (the sqlite3 shell's plan)"; echo
echo "Seeding $photos photos with the index's triggers firing: $(printf '%.1f' "$(echo "$(date +%s.%N) - $started" | bc)") s;" \
  "database $(du -m "$db" | cut -f1) MB, of which the FTS5 index $(sqlite3 "$db" "SELECT sum(pgsize) / 1048576 FROM dbstat WHERE name LIKE 'photo_search_fts%'" 2>/dev/null || echo '?') MB."
echo; echo '```'
sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT p.Id FROM photo_search_fts f JOIN photo_search s ON s.key = f.rowid JOIN photos p ON p.Id = s.photo_id
  WHERE photo_search_fts MATCH '\"paris\"*' AND p.OwnerId = '$owner' AND p.TrashedAt IS NULL AND p.TakenAt >= '2019-01-01' AND p.TakenAt < '2020-01-01'"
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
started=$(date +%s.%N)
"${psql[@]}" -d keepsake -c "INSERT INTO photos (\"Id\", \"OwnerId\", \"OriginalFileName\", \"Format\", \"SizeBytes\", \"Sha256\",
    \"Width\", \"Height\", \"Orientation\", \"UploadedAt\", \"TakenAt\", \"TimelineAt\", \"CameraMake\", \"CameraModel\",
    \"PlaceCity\", \"PlaceRegion\", \"PlaceCountry\", \"PlaceLookedUp\")
  SELECT format('%s-0000-7000-8000-%s', lpad(to_hex(i), 8, '0'), lpad(to_hex(i), 12, '0'))::uuid,
    (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = upper('$email')), format('IMG_%s.jpg', lpad(i::text, 6, '0')), 'jpeg', 1000000,
    lpad(to_hex(i), 64, '0'), 4000, 3000, 1, '2026-01-01Z', to_timestamp(1262304000 + i * 5000), to_timestamp(1262304000 + i * 5000),
    (ARRAY[$(echo "$makes" | tr -d '()')])[i % 5 + 1], (ARRAY[$(echo "$models" | tr -d '()')])[i % 5 + 1],
    t.city, t.region, t.country, true
  FROM generate_series(1, $photos) i JOIN (SELECT row_number() OVER () - 1 AS k, * FROM (VALUES $towns) v(city, region, country)) t ON t.k = i % 10" \
  -c "VACUUM ANALYZE photos" -c "VACUUM ANALYZE photo_search"
echo; echo "## PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }')"; echo
echo "Seeding $photos photos with the index's triggers firing: $(printf '%.1f' "$(echo "$(date +%s.%N) - $started" | bc)") s;" \
  "photo_search $("${psql[@]}" -d keepsake -At -c "SELECT pg_size_pretty(pg_total_relation_size('photo_search'))") with its trigram index" \
  "$("${psql[@]}" -d keepsake -At -c "SELECT pg_size_pretty(pg_relation_size('ix_photo_search_document'))")."
owner=$("${psql[@]}" -d keepsake -At -c "SELECT \"Id\" FROM \"AspNetUsers\"")
echo; echo '```'
"${psql[@]}" -d keepsake -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT p.\"Id\" FROM photo_search s JOIN photos p ON p.\"Id\" = s.photo_id
  WHERE s.document LIKE '% paris%' AND p.\"OwnerId\" = '$owner' AND p.\"TrashedAt\" IS NULL
    AND p.\"TakenAt\" >= '2019-01-01Z' AND p.\"TakenAt\" < '2020-01-01Z'"
echo '```'; echo
measure "$work/pglib"
