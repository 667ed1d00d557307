#!/usr/bin/env bash
# Every row of issue 23's performance table, each beside its peer in the same run, written as one Markdown table
# (median, min, max, ratio to the peer) plus the query plans of the timeline to bench/perf/results/<UTC time>.md.
# Usage: bench/perf/run.sh [--quick] [--app PUBLISHED_FOLDER]
#   --quick  fewer rounds, shorter loads and 100 photos instead of 1 000: a few minutes instead of about fifteen.
#   --app    a folder from 'dotnet publish' of any build of keepsake (before/after a change); by default the
#            current tree is published as a release is (linux-x64, self-contained, ReadyToRun) once per commit into the cache folder.
# Cache (outside the clone): ${KEEPSAKE_BENCH_CACHE:-~/.cache/keepsake-bench}: sharp, the generated photos, the
# published app. Everything runs on 127.0.0.1 in a temporary folder, bounded in requests and time, and is stopped
# and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
bench=$repo/bench/perf

quick=false
app=""
revision=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=true ;;
    --app) app=$(realpath "$2"); shift ;;
    *) echo "usage: bench/perf/run.sh [--quick] [--app PUBLISHED_FOLDER]" >&2; exit 2 ;;
  esac
  shift
done
if $quick; then
  rounds=2 start_runs=3 cli_runs=5 load_seconds=3 many=100 import30_rounds=1
else
  rounds=5 start_runs=7 cli_runs=10 load_seconds=10 many=1000 import30_rounds=3
fi
timeline_photos=100000
browse_requests=10000
sharp_version=0.34.5
cache=${KEEPSAKE_BENCH_CACHE:-${HOME:-/tmp}/.cache/keepsake-bench}
say() { printf '==> %s\n' "$*" >&2; }
# A numbered step names the section a failed run stopped in.
step() { section=$*; say "$*"; }

# --- prerequisites ------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -x /usr/bin/time ] || missing+=(time)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are needed (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$cache"
sharp=$cache/sharp-$sharp_version/node_modules/sharp
if [ ! -e "$sharp/package.json" ]; then
  say "installing sharp@$sharp_version into $cache"
  npm install --prefix "$cache/sharp-$sharp_version" --no-audit --no-fund --loglevel=error "sharp@$sharp_version" >&2
fi
# The photo sets are a function of the generator and the sharp version: a new generator makes a new folder.
photos=$cache/photos-$(cat "$bench/make-photos.js" | sha256sum | cut -c1-12)-$many
if [ ! -e "$photos/done" ]; then
  say "making the photo sets in $photos"
  rm -rf "$photos"
  node "$bench/make-photos.js" "$sharp" "$repo/../shared/testdata/photos" "$photos" "$many"
  mkdir -p "$photos/set8-2mp" && cp "$photos"/set16/small-*.jpg "$photos/set8-2mp/"
  touch "$photos/done"
fi
if [ -z "$app" ]; then
  # The last commit that changed what is published: a commit to bench/ or docs/ publishes nothing again.
  app_sources=(src Directory.Build.props Directory.Packages.props global.json)
  revision=$(git log -1 --format=%h -- "${app_sources[@]}")
  app=$cache/app-$revision
  if [ -n "$(git status --porcelain -- "${app_sources[@]}")" ]; then
    app=$cache/app-$revision-modified
    rm -rf "$app"
  fi
  if [ ! -x "$app/keepsake" ]; then
    say "publishing the app into $app"
    dotnet publish src/Keepsake -c Release -r linux-x64 --self-contained -o "$app" --nologo -v quiet >&2
  fi
fi
[ -x "$app/keepsake" ] || { echo "no keepsake binary in $app" >&2; exit 1; }

# --- the run's folder, servers and their cleanup --------------------------------------------------------
work=$(mktemp -d /tmp/keepsake-bench-perf-XXXXXX)
chmod 755 "$work"   # nginx's workers run as nobody
server_pid=""
nginx_pid=""
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg_data=""
finished=false
section="preparing"
rows=()
cleanup() {
  if [ ${#rows[@]} -gt 0 ] || $finished; then write_report || true; fi
  [ -z "$pg_data" ] || runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
  [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; } || true
  [ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null; } || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# write_report: the table so far (a run that failed in a section still reports the rows before it, and says where
# it stopped), the query plans, and the machine, to bench/perf/results/<UTC time>.md.
write_report() {
  local libvips report
  libvips=$(grep -ho '"Libvips":"[a-z]*"' "$work"/*/server.out 2>/dev/null | head -1 | cut -d'"' -f4)
  mkdir -p "$bench/results"
  report=$bench/results/$(date -u +%Y-%m-%dT%H%MZ)$($quick && echo -quick).md
  {
    echo "# Performance, $(date -u '+%Y-%m-%d %H:%M UTC')$($quick && echo ' (--quick)')"
    echo
    $finished || echo "**Incomplete: the run stopped during \"$section\".**"
    $finished || echo
    echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")"
    echo "- load average (1, 5, 15 min): ${load_before:-?} at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "- app: $app (${revision:+published from the tree at }${revision:-given with --app}), libvips: ${libvips:-unknown}; sharp $sharp_version (its own libvips $(node -e "console.log(require('$sharp').versions.vips)"))"
    echo "- every figure is median (min–max) over the rounds named in its row; ratio = keepsake / peer (lower is better for times and memory, higher for req/s)"
    echo
    echo "| measure | Keepsake | peer or limit | ratio | target |"
    echo "|---|---|---|---|---|"
    [ ${#rows[@]} -eq 0 ] || printf '%s\n' "${rows[@]}" | sort -s -n -k1,1 | sed -E 's/^[0-9]+ //'
    echo
    if [ -e "$work/plans.md" ]; then
      echo "## Query plans (SQLite, $timeline_photos photos)"
      echo
      cat "$work/plans.md"
    fi
    if [ -e "$work/pg-plans.md" ]; then
      echo "## Query plans (PostgreSQL, $timeline_photos photos; EXPLAIN ANALYZE by auto_explain, real parameters)"
      echo
      cat "$work/pg-plans.md"
    fi
  } >"$report"
  cat "$report"
  say "written to $report"
}

email=bench@example.com
password="a long bench password"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# stats NUMBERS...: "median min max" of the numbers.
stats() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(statistics.median(v), min(v), max(v))' "$@"; }
# spread NUMBERS... FORMAT: "median (min–max)" with printf's FORMAT for each.
spread() {
  local format=${*: -1}
  read -r median min max < <(stats "${@:1:$#-1}")
  printf "$format ($format–$format)" "$median" "$min" "$max"
}
median() { read -r m _ < <(stats "$@"); echo "$m"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}×")' "$1" "$2"; }
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# A library is a folder: its data folder, and its database, a SQLite file in it unless the folder's database.env
# names another (KEEPSAKE_Database__* lines).
library_env() {
  echo "KEEPSAKE_Storage__Path=$1/data"
  echo "KEEPSAKE_Management__Port=0"
  if [ -e "$1/database.env" ]; then cat "$1/database.env"; else echo "KEEPSAKE_Database__ConnectionString=Data Source=$1/keepsake.db"; fi
}
# ks LIBRARY ARGS...: the published binary on the library, the management port off.
ks() {
  local library=$1
  shift
  mapfile -t settings < <(library_env "$library")
  env "${settings[@]}" "$app/keepsake" "$@"
}
# timed LIBRARY ARGS...: ks under GNU time; "seconds peak-KiB" go to $work/time.
timed() {
  local library=$1
  shift
  mapfile -t settings < <(library_env "$library")
  /usr/bin/time -f '%e %M' -o "$work/time" env "${settings[@]}" "$app/keepsake" "$@"
}
# new_library NAME: a copy of the template library (migrated, the bench user created).
new_library() { rm -rf "${work:?}/$1"; cp -a "$work/template" "$work/$1"; echo "$work/$1"; }

# start_server LIBRARY [VARIABLE=VALUE...]: the server on a free port (base, server_pid); ready_seconds is the time from
# start to /healthz/ready 200. Not in a subshell: the cleanup must know the server's pid.
start_server() {
  local library=$1
  shift
  port=$(free_port)
  base=http://127.0.0.1:$port
  mapfile -t settings < <(library_env "$library")
  local started=$EPOCHREALTIME
  env "${settings[@]}" "$@" "$app/keepsake" --urls "$base" >"$library/server.out" 2>"$library/server.err" &
  server_pid=$!
  local deadline=$((SECONDS + 120))
  until curl -sf -o /dev/null --max-time 2 "$base/healthz/ready"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$library/server.err" >&2; echo "the server exited" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "the server was not ready in 120 s" >&2; exit 1; }
    sleep 0.02
  done
  ready_seconds=$(python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.3f}')" "$EPOCHREALTIME" "$started")
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }
login() {
  curl -sf -c "$work/cookies" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/auth/login" >/dev/null
  cookie=$(awk '$6 == "keepsake.auth" { print $6 "=" $7 }' "$work/cookies")
}
# load URL CONNECTIONS SECONDS [HEADER VALUE]: wrk's report line (requests, errors, rps, p50, p99 in ms).
load() {
  local threads=$(($2 < 2 ? $2 : 2))
  WRK_HEADER_NAME=${4:-} WRK_HEADER_VALUE=${5:-} wrk -t"$threads" -c"$2" -d"$3"s --timeout 10s \
    -H "Cookie: ${cookie:-none=}" -s "$bench/wrk-report.lua" "$1" >"$work/wrk.out" 2>&1 || true
  grep '^wrk-report' "$work/wrk.out" || { echo "wrk failed on $1:" >&2; cat "$work/wrk.out" >&2; return 1; }
}
# half_way_cursor: the cursor of the page half-way down the library, found by following the pages as a client does.
half_way_cursor() {
  python3 - "$base" "$cookie" "$((timeline_photos / 2))" <<'PYTHON'
import json, sys, urllib.parse, urllib.request
base, cookie, depth = sys.argv[1], sys.argv[2], int(sys.argv[3])
cursor, seen = None, 0
while seen < depth:
    url = f"{base}/api/photos?limit=500" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie})))
    seen += len(page["items"])
    cursor = page["nextCursor"]
print(cursor)
PYTHON
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }
# row ORDER MEASURE KEEPSAKE PEER RATIO TARGET: a row of the table, which lists them by ORDER (the issue's order).
row() { rows+=("$1 | $2 | $3 | $4 | $5 | $6 |"); }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "app: $app; photos: $photos; load average $load_before"

# The template library: migrated by the first CLI verb, with the bench user.
mkdir -p "$work/template" "$work/empty"
ks "$work/template" user create "$email" --password-stdin <<<"$password" >/dev/null

# --- 1. import of 16 JPEGs vs a sequential sharp script, rounds alternating --------------------------------
step "1. import of 16 JPEGs, $rounds rounds each"
ks_wall=() ks_peak=() sharp_wall=() sharp_peak=()
for round in $(seq "$rounds"); do
  library=$(new_library import16)
  timed "$library" import "$photos/set16" --user "$email" >"$work/import.out"
  grep -q '^imported 16,' "$work/import.out" || { cat "$work/import.out" >&2; echo "keepsake did not import the 16 photos" >&2; exit 1; }
  read -r wall kib <"$work/time"; ks_wall+=("$wall"); ks_peak+=("$((kib / 1024))")
  rm -rf "$work/sharp-out"
  /usr/bin/time -f '%e %M' -o "$work/time" node "$bench/sharp-import.js" "$sharp" "$photos/set16" "$work/sharp-out" >/dev/null
  read -r wall kib <"$work/time"; sharp_wall+=("$wall"); sharp_peak+=("$((kib / 1024))")
done
row 10 "\`keepsake import\` of 16 JPEGs (8 × 10–16 MP, 8 × 2 MP) → 1440 px JPEG q82 + 250 px WebP q75, wall; $rounds rounds" \
  "$(spread "${ks_wall[@]}" '%.2f') s" "sharp $sharp_version script, sequential: $(spread "${sharp_wall[@]}" '%.2f') s" \
  "$(ratio "$(median "${ks_wall[@]}")" "$(median "${sharp_wall[@]}")")" "≤ 0.8×"
row 11 "… its peak RSS" "$(spread "${ks_peak[@]}" '%.0f') MiB" "sharp: $(spread "${sharp_peak[@]}" '%.0f') MiB" \
  "$(ratio "$(median "${ks_peak[@]}")" "$(median "${sharp_peak[@]}")")" "≤ 1×"

# --- 2. CLI start-up ------------------------------------------------------------------------------------
step "2. CLI start-up, $cli_runs runs each"
startup=$(new_library startup)
KEEPSAKE_Database__ConnectionString="Data Source=$startup/keepsake.db" KEEPSAKE_Storage__Path="$startup/data" KEEPSAKE_Management__Port=0 \
  hyperfine -N --style none --warmup 1 --runs "$cli_runs" --export-json "$work/startup.json" \
  "$app/keepsake import $work/empty --user $email" "node -e \"require('$sharp')\"" >/dev/null
read -r ks_start ks_start_min ks_start_max node_start node_start_min node_start_max < <(python3 -c '
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
print(*["%.3f" % f(x["times"]) for x in r for f in (statistics.median, min, max)])' "$work/startup.json")
row 20 "CLI start-up (\`keepsake import\` of an empty folder); $cli_runs runs" "$ks_start s ($ks_start_min–$ks_start_max)" \
  "node + require('sharp'): $node_start s ($node_start_min–$node_start_max)" "$(ratio "$ks_start" "$node_start")" "< 0.25 s"

# --- 5. first photo of an import vs the later ones ------------------------------------------------------
# The CLI prints a line per photo as it is done: the first photo's time is its line's time less the process's
# start-up (the median of row 2), a later photo's is the mean gap between the first and the last line.
step "5. first photo vs later ones, $rounds imports of 8 × 2 MP"
first=() later=()
for round in $(seq "$rounds"); do
  library=$(new_library first-photo)
  started=$EPOCHREALTIME
  ks "$library" import "$photos/set8-2mp" --user "$email" | while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done >"$work/timed.out"
  read -r f l < <(python3 -c '
import sys
times = [float(line.split()[0]) for line in open(sys.argv[1]) if line.split()[1] == "imported" and not line.split()[2].endswith(",")]
assert len(times) == 8, f"expected 8 imported photos, got {len(times)}"
print(f"{times[0] - float(sys.argv[2]) - float(sys.argv[3]):.3f} {(times[-1] - times[0]) / (len(times) - 1):.3f}")' \
    "$work/timed.out" "$started" "$ks_start")
  first+=("$f") later+=("$l")
done
row 50 "first photo of an import (2 MP; its line's time less the start-up of row 2); $rounds imports" "$(spread "${first[@]}" '%.2f') s" \
  "later ones: $(spread "${later[@]}" '%.3f') s each" "$(ratio "$(median "${first[@]}")" "$(median "${later[@]}")")" "no penalty past 0.2 s"

# --- 9. peak RSS importing the test photos ----------------------------------------------------------------
step "9. peak RSS importing the test photos, $import30_rounds rounds"
peak30=() wall30=()
test_photos=$(find "$repo/../shared/testdata/photos/" -maxdepth 1 -type f ! -name '*.md' ! -name '*.tsv' | wc -l)
for round in $(seq "$import30_rounds"); do
  library=$(new_library import30)
  timed "$library" import "$repo/../shared/testdata/photos" --user "$email" >"$work/import.out" 2>"$work/import.err" || true
  read -r wall kib <"$work/time"; peak30+=("$((kib / 1024))"); wall30+=("$wall")
done
summary30=$(tail -1 "$work/import.out")
row 99 "peak RSS importing the $test_photos test photos (\`../shared/testdata/photos\`: $summary30); $import30_rounds rounds" \
  "$(spread "${peak30[@]}" '%.0f') MiB (wall $(spread "${wall30[@]}" '%.2f') s)" "—" "—" "< 300 MB, flat in the number of photos"

# --- 3. server start to /healthz/ready ------------------------------------------------------------------
step "3. server start to ready, $start_runs warm starts"
library=$work/import16   # the last library of row 1: migrated, 16 photos
ready=()
for run in $(seq "$start_runs"); do
  start_server "$library"
  ready+=("$ready_seconds")
  stop_server
done
row 30 "server start to \`/healthz/ready\` 200 (warm: migrated database); $start_runs starts" "$(spread "${ready[@]}" '%.2f') s" "—" "—" "< 1.0 s quiet"

# --- 6. the timeline at 100 000 photos --------------------------------------------------------------------
# Rows straight into the app's own table (migrated by the app), 53 minutes apart, so about ten years (122 months, as a
# family library spans), deterministic ids.
step "6. seeding $timeline_photos photos into the timeline"
owner=$(sqlite3 "$library/keepsake.db" "SELECT Id FROM AspNetUsers WHERE NormalizedEmail = upper('$email')")
sqlite3 "$library/keepsake.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $timeline_photos)
  INSERT INTO photos (Id, OwnerId, OriginalFileName, Format, SizeBytes, Sha256, Width, Height, Orientation, UploadedAt, TimelineAt)
  SELECT printf('%08X-0000-7000-8000-%012X', i, i), '$owner', printf('seed-%06d.jpg', i), 'jpeg', 1000000, printf('%064x', i),
    4000, 3000, 1, '2026-01-01 00:00:00', strftime('%Y-%m-%d %H:%M:%S', 1450000000 + i * 3180, 'unixepoch') FROM n;
  ANALYZE;"
start_server "$library"
login
curl -sf -H "Cookie: $cookie" "$base/api/photos" -o "$work/first-page.json"
sleep 3
rss_idle=$(rss_mib "$server_pid")
deep_cursor=$(half_way_cursor)
first_page=$(load "$base/api/photos" 8 "$load_seconds")
deep_page=$(load "$base/api/photos?cursor=$deep_cursor" 8 "$load_seconds")
sequential=$(load "$base/api/photos" 1 "$load_seconds")
buckets=$(load "$base/api/timeline/buckets" 8 "$load_seconds")
buckets_alone=$(load "$base/api/timeline/buckets" 1 "$load_seconds")
for name in first_page deep_page buckets; do
  [ "$(field errors "${!name}")" = 0 ] || { echo "$name answered errors: ${!name}" >&2; exit 1; }
done
row 60 "timeline \`GET /api/photos\` at $timeline_photos photos (SQLite), first page, 8 clients, ${load_seconds} s" \
  "p50 $(field p50 "$first_page") ms, p99 $(field p99 "$first_page") ms ($(field rps "$first_page") req/s)" \
  "1 client: p50 $(field p50 "$sequential") ms, p99 $(field p99 "$sequential") ms" "—" "p99 < 25 ms"
row 61 "… a page $((timeline_photos / 2)) photos deep (cursor), 8 clients" \
  "p50 $(field p50 "$deep_page") ms, p99 $(field p99 "$deep_page") ms ($(field rps "$deep_page") req/s)" "—" \
  "$(ratio "$(field p99 "$deep_page")" "$(field p99 "$first_page")") of the first page's p99" "p99 < 25 ms"
row 64 "month buckets \`GET /api/timeline/buckets\` at $timeline_photos photos (SQLite), 8 clients" \
  "p50 $(field p50 "$buckets") ms, p99 $(field p99 "$buckets") ms ($(field rps "$buckets") req/s)" \
  "1 client: p50 $(field p50 "$buckets_alone") ms, p99 $(field p99 "$buckets_alone") ms" "—" "< 50 ms"

# --- 4 and 8. memory after a browse, log bytes per request ----------------------------------------------
step "4. $browse_requests timeline requests"
log_before=$(stat -c %s "$library/server.out")
browsed=$(python3 "$bench/browse.py" "$base/api/photos" "$cookie" "$browse_requests" 8)
log_bytes=$(( $(stat -c %s "$library/server.out") - log_before ))
sleep 3
rss_browse=$(rss_mib "$server_pid")

# --- 7. serving a thumbnail vs nginx, same bytes, same concurrency ----------------------------------------
step "7. a thumbnail vs nginx"
# The real photos' thumbnails, as their details name them (any URL scheme a build uses); the one nearest 5.6 KB.
for id in $(sqlite3 "$library/keepsake.db" "SELECT Id FROM photos WHERE OriginalFileName NOT LIKE 'seed-%'"); do
  url=$(curl -sf -H "Cookie: $cookie" "$base/api/photos/${id,,}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["thumbnailUrl"])')
  size=$(curl -sf -H "Cookie: $cookie" "$base$url" | wc -c)
  echo "$(( size > 5600 ? size - 5600 : 5600 - size )) $size $url"
done | sort -n | head -1 >"$work/thumbnail"
read -r _ thumbnail_bytes thumbnail_url <"$work/thumbnail"
curl -sf -D "$work/thumbnail.headers" -H "Cookie: $cookie" "$base$thumbnail_url" -o "$work/thumbnail.bytes"
etag=$(awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }' "$work/thumbnail.headers")
mkdir -p "$work/nginx/www" "$work/nginx/tmp"
cp "$work/thumbnail.bytes" "$work/nginx/www/thumbnail.webp"
chmod -R a+rX "$work/nginx/www"
nginx_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { image/webp webp; }
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server { listen 127.0.0.1:$nginx_port; root $work/nginx/www; }
}
NGINX
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
nginx_url=http://127.0.0.1:$nginx_port/thumbnail.webp
until curl -sf -o /dev/null "$nginx_url"; do sleep 0.05; done
nginx_etag=$(curl -sfI "$nginx_url" | awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }')
cmp -s "$work/thumbnail.bytes" <(curl -sf "$nginx_url") || { echo "nginx does not serve the same bytes" >&2; exit 1; }
thumbnail_log_before=$(stat -c %s "$library/server.out")
thumbnail_requests=0
for connections in 8 32; do
  keepsake=$(load "$base$thumbnail_url" "$connections" "$load_seconds")
  peer=$(load "$nginx_url" "$connections" "$load_seconds")
  thumbnail_requests=$((thumbnail_requests + $(field requests "$keepsake")))
  row 70 "serving a thumbnail ($thumbnail_bytes bytes), $connections connections, ${load_seconds} s" \
    "$(field rps "$keepsake") req/s (p99 $(field p99 "$keepsake") ms, errors $(field errors "$keepsake"))" \
    "nginx: $(field rps "$peer") req/s (p99 $(field p99 "$peer") ms)" "$(ratio "$(field rps "$keepsake")" "$(field rps "$peer")")" "≥ 0.5× nginx"
done
if [ -n "$etag" ]; then
  keepsake=$(load "$base$thumbnail_url" 32 "$load_seconds" If-None-Match "$etag")
  peer=$(load "$nginx_url" 32 "$load_seconds" If-None-Match "$nginx_etag")
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "If-None-Match: $etag" "$base$thumbnail_url")
  thumbnail_requests=$((thumbnail_requests + $(field requests "$keepsake")))
  row 72 "… with \`If-None-Match\` (answered $status), 32 connections" "$(field rps "$keepsake") req/s (p99 $(field p99 "$keepsake") ms)" \
    "nginx 304: $(field rps "$peer") req/s" "$(ratio "$(field rps "$keepsake")" "$(field rps "$peer")")" "≥ 0.5× nginx"
else
  row 72 "… with \`If-None-Match\`" "no ETag on the thumbnail" "—" "—" "304 on \`If-None-Match\`"
fi
thumbnail_log_bytes=$(( $(stat -c %s "$library/server.out") - thumbnail_log_before ))

row 40 "server RSS idle, 3 s after the first timeline page" "$rss_idle MiB" "Immich min 6 GB" "—" "< 80 MB"
row 80 "RSS after $browsed timeline requests (8 clients, then 3 s idle)" "$rss_browse MiB" "—" "—" "< 120 MB"
row 90 "log written per request (server stdout)" \
  "$(python3 -c "import sys; print(f'{int(sys.argv[1]) / int(sys.argv[2]):.0f}')" "$log_bytes" "$browsed") bytes per timeline request, $(python3 -c "import sys; print(f'{int(sys.argv[1]) / max(1, int(sys.argv[2])):.0f}')" "$thumbnail_log_bytes" "$thumbnail_requests") per thumbnail request" \
  "—" "—" "fast successful requests not logged by default"

# --- 4. memory after importing many photos through the server -------------------------------------------
step "4. uploading $many photos, 10 per request"
curl -sf -b "$work/cookies" -c "$work/cookies" "$base/api/antiforgery" -o "$work/antiforgery.json"
xsrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$work/antiforgery.json")
upload_started=$EPOCHREALTIME
find "$photos/many" -name '*.jpg' | sort | xargs -n 10 | while read -r -a batch; do
  parts=()
  for file in "${batch[@]}"; do parts+=(-F "files=@$file;type=image/jpeg"); done
  curl -sf -b "$work/cookies" -H "X-XSRF-TOKEN: $xsrf" "${parts[@]}" "$base/api/photos" -o /dev/null
done
upload_seconds=$(python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.1f}')" "$EPOCHREALTIME" "$upload_started")
sleep 3
row 95 "RSS after uploading $many photos (1024 × 768, 10 per request, then 3 s idle; took $upload_seconds s)" "$(rss_mib "$server_pid") MiB" "—" "—" "< 120 MB (flat)"
stop_server

# --- query plans of what the timeline and the thumbnail run ------------------------------------------------
step "query plans (SQLite)"
start_server "$library" "KEEPSAKE_Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information"
login
curl -sf -H "Cookie: $cookie" "$base/api/photos" -o /dev/null
curl -sf -H "Cookie: $cookie" "$base/api/photos?cursor=$deep_cursor" -o /dev/null
curl -sf -H "Cookie: $cookie" "$base/api/timeline/buckets" -o /dev/null
curl -sf -H "Cookie: $cookie" "$base$thumbnail_url" -o /dev/null
stop_server
python3 - "$library/server.out" "$library/keepsake.db" >"$work/plans.md" <<'PYTHON'
import json, re, sqlite3, sys
log, database = sys.argv[1], sys.argv[2]
commands = []
for line in open(log):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    text = entry.get("commandText")
    if entry.get("category") == "Microsoft.EntityFrameworkCore.Database.Command" and text and text not in commands:
        if text.lstrip().upper().startswith("SELECT"):
            commands.append(text)
db = sqlite3.connect(database)
for text in commands:
    # Parameters are bound as NULL: SQLite's plan does not depend on their values.
    names = set(re.findall(r"@(\w+)", text))
    plan = db.execute("EXPLAIN QUERY PLAN " + text, {name: None for name in names}).fetchall()
    print("```sql\n" + text.strip() + "\n```\n\n```\n" + "\n".join(f"{'  ' * (p[1] > 0)}{p[3]}" for p in plan) + "\n```\n")
if not commands:
    print("(no SELECT was logged: this build does not log EF Core's commands at Information)")
PYTHON

# --- the timeline at 100 000 photos on PostgreSQL ---------------------------------------------------------------
if [ -n "$pg_bin" ] && [ "$(id -u)" -eq 0 ]; then
  step "6. the timeline on PostgreSQL"
  mkdir -p "$work/pg" "$work/pglib" && chown postgres "$work/pg"
  pg_port=$(free_port)
  runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --no-locale -N >/dev/null
  pg_data=$work/pg/data
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$work/pg/server.log" \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
  psql=("$pg_bin/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres)
  "${psql[@]}" -d postgres -c "CREATE DATABASE keepsake"
  printf '%s\n' KEEPSAKE_Database__Provider=postgres \
    "KEEPSAKE_Database__ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=keepsake" \
    "KEEPSAKE_DataProtection__KeyEncryptionKey=$(openssl rand -base64 32)" >"$work/pglib/database.env"
  # On PostgreSQL the schema is the explicit 'keepsake migrate' step's (a fresh database: nothing to back up).
  ks "$work/pglib" migrate --no-backup >"$work/pg/migrate.out" 2>&1 || { cat "$work/pg/migrate.out" >&2; exit 1; }
  ks "$work/pglib" user create "$email" --password-stdin <<<"$password" >/dev/null
  "${psql[@]}" -d keepsake -c "INSERT INTO photos (\"Id\", \"OwnerId\", \"OriginalFileName\", \"Format\", \"SizeBytes\", \"Sha256\",
      \"Width\", \"Height\", \"Orientation\", \"UploadedAt\", \"TimelineAt\")
    SELECT format('%s-0000-7000-8000-%s', lpad(to_hex(i), 8, '0'), lpad(to_hex(i), 12, '0'))::uuid,
      (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = upper('$email')), format('seed-%s.jpg', i), 'jpeg', 1000000,
      lpad(to_hex(i), 64, '0'), 4000, 3000, 1, '2026-01-01Z', to_timestamp(1450000000 + i * 3180)
    FROM generate_series(1, $timeline_photos) i" -c "ANALYZE"
  start_server "$work/pglib"
  login
  pg_deep_cursor=$(half_way_cursor)
  first_page=$(load "$base/api/photos" 8 "$load_seconds")
  deep_page=$(load "$base/api/photos?cursor=$pg_deep_cursor" 8 "$load_seconds")
  sequential=$(load "$base/api/photos" 1 "$load_seconds")
  buckets=$(load "$base/api/timeline/buckets" 8 "$load_seconds")
  buckets_alone=$(load "$base/api/timeline/buckets" 1 "$load_seconds")
  stop_server
  row 62 "timeline \`GET /api/photos\` at $timeline_photos photos (PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }')), first page, 8 clients, ${load_seconds} s" \
    "p50 $(field p50 "$first_page") ms, p99 $(field p99 "$first_page") ms ($(field rps "$first_page") req/s, errors $(field errors "$first_page"))" \
    "1 client: p50 $(field p50 "$sequential") ms, p99 $(field p99 "$sequential") ms" "—" "p99 < 25 ms"
  row 63 "… a page $((timeline_photos / 2)) photos deep (cursor), 8 clients" \
    "p50 $(field p50 "$deep_page") ms, p99 $(field p99 "$deep_page") ms ($(field rps "$deep_page") req/s, errors $(field errors "$deep_page"))" "—" \
    "$(ratio "$(field p99 "$deep_page")" "$(field p99 "$first_page")") of the first page's p99" "p99 < 25 ms"
  row 65 "month buckets \`GET /api/timeline/buckets\` at $timeline_photos photos (PostgreSQL), 8 clients" \
    "p50 $(field p50 "$buckets") ms, p99 $(field p99 "$buckets") ms ($(field rps "$buckets") req/s, errors $(field errors "$buckets"))" \
    "1 client: p50 $(field p50 "$buckets_alone") ms, p99 $(field p99 "$buckets_alone") ms" "—" "< 50 ms"
  # The plans PostgreSQL chose for the app's own statements with their real parameters: auto_explain in new sessions.
  "${psql[@]}" -d postgres -c "LOAD 'auto_explain'" -c "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'" \
    -c "ALTER SYSTEM SET auto_explain.log_min_duration = 0" -c "ALTER SYSTEM SET auto_explain.log_analyze = on" \
    -c "SELECT pg_reload_conf()" >/dev/null
  start_server "$work/pglib"
  login
  curl -sf -H "Cookie: $cookie" "$base/api/photos" -o /dev/null
  curl -sf -H "Cookie: $cookie" "$base/api/photos?cursor=$pg_deep_cursor" -o /dev/null
  curl -sf -H "Cookie: $cookie" "$base/api/timeline/buckets" -o /dev/null
  stop_server
  python3 - "$work/pg/server.log" >"$work/pg-plans.md" <<'PYTHON'
import re, sys
blocks, current = [], None
for line in open(sys.argv[1]):
    if re.match(r"^\d{4}-\d\d-\d\d ", line):
        current = [] if "plan:" in line else None
        if current is not None:
            blocks.append(current)
    elif current is not None:
        current.append(line.rstrip("\n"))
seen = set()
for block in blocks:
    text = "\n".join(block)
    query = re.search(r"Query Text: (.*?)\n\t?(Limit|Sort|Index|Seq|Aggregate|Result|Bitmap|Nested|Hash|Merge)", text, re.S)
    if not query or "photos" not in query.group(1) or query.group(1) in seen:
        continue
    seen.add(query.group(1))
    print("```\n" + "\n".join(line.replace("\t", "", 1) for line in block) + "\n```\n")
if not seen:
    print("(auto_explain logged no plan of a query on photos)")
PYTHON
fi

# --- the report ---------------------------------------------------------------------------------------
finished=true
