#!/usr/bin/env bash
# Thumbnail serving: the published keepsake binary next to nginx serving the same bytes, in the same run, same
# concurrency, on loopback. One user imports one photo; the thumbnail URL the timeline hands out is fetched with
# wrk as a browser does (with the session cookie), as a revalidation (If-None-Match: a 304), and nginx serves the
# same file from a temporary folder. Also counts the bytes the server logged per request.
# Usage: bench/thumbnail-serving/run.sh [KEEPSAKE_DIR=artifacts/bench/keepsake] [DURATION=10s] [PHOTO]
# (publish first: dotnet publish src/Keepsake -c Release -o artifacts/bench/keepsake; apt-get install -y wrk nginx-light)
set -euo pipefail
cd "$(dirname "$0")/../.."
keepsake_dir=$(realpath "${1:-artifacts/bench/keepsake}")
duration=${2:-10s}
photo=$(realpath "${3:-../shared/testdata/photos/gps-apple-iphone4.jpg}")
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "wrk and nginx are needed: apt-get install -y wrk nginx-light" >&2; exit 1; }
[ -x "$keepsake_dir/keepsake" ] || { echo "no keepsake binary in $keepsake_dir: dotnet publish src/Keepsake -c Release -o $keepsake_dir" >&2; exit 1; }
work=$(mktemp -d /tmp/keepsake-bench-thumbnails-XXXXXX)
server_pid=""
nginx_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ -z "$nginx_pid" ] || kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
keepsake_port=$(free_port)
nginx_port=$(free_port)
export KEEPSAKE_Database__ConnectionString="Data Source=$work/keepsake.db" KEEPSAKE_Storage__Path="$work/data" \
  KEEPSAKE_Management__Port=0 KEEPSAKE_Logging__Format=json KEEPSAKE_Backups__Schedule__Enabled=false \
  KEEPSAKE_Fsck__Schedule__Enabled=false
email=bench@example.com
password="a long bench password"
"$keepsake_dir/keepsake" user create "$email" --password-stdin <<<"$password" >/dev/null
mkdir -p "$work/import"
cp "$photo" "$work/import/"
"$keepsake_dir/keepsake" import "$work/import" --user "$email" >/dev/null

"$keepsake_dir/keepsake" --Urls="http://127.0.0.1:$keepsake_port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$keepsake_port/api/setup" >/dev/null && break; sleep 0.1; done
curl -fs -c "$work/cookies" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" "http://127.0.0.1:$keepsake_port/api/auth/login" >/dev/null
cookie=$(awk '$6 ~ /keepsake.auth/ { printf "%s=%s; ", $6, $7 }' "$work/cookies")
thumbnail=$(curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$keepsake_port/api/photos" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["thumbnailUrl"])')
url="http://127.0.0.1:$keepsake_port$thumbnail"
curl -fs -H "Cookie: $cookie" -D "$work/headers" -o "$work/thumbnail.webp" "$url"
etag=$(awk 'tolower($1) == "etag:" { print $2 }' "$work/headers" | tr -d '\r')

mkdir -p "$work/nginx/www"
cp "$work/thumbnail.webp" "$work/nginx/www/thumbnail.webp"
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx/tmp;
  types { image/webp webp; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/www;
    location / { etag on; add_header Cache-Control "private, max-age=31536000, immutable"; }
  }
}
NGINX
mkdir -p "$work/nginx/tmp"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>/dev/null &
nginx_pid=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/thumbnail.webp" && break; sleep 0.1; done

# rate CONNECTIONS URL [HEADER...]: requests/s of one wrk run (2 threads).
rate() {
  local connections=$1 target=$2
  shift 2
  local headers=()
  for header in "$@"; do headers+=(-H "$header"); done
  wrk -t2 -c"$connections" -d"$duration" "${headers[@]}" "$target" | awk '/Requests\/sec/ { printf "%.0f", $2 }'
}
requests_logged_before=$(wc -c <"$work/server.log")
echo "thumbnail $(stat -c %s "$work/thumbnail.webp") bytes, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| connections | keepsake 200 (req/s) | keepsake 304 (req/s) | nginx 200 (req/s) | 200 ratio | 304 ratio |"
echo "|---|---|---|---|---|---|"
for connections in 8 32; do
  ok=$(rate "$connections" "$url" "Cookie: $cookie")
  not_modified=$(rate "$connections" "$url" "Cookie: $cookie" "If-None-Match: $etag")
  nginx_ok=$(rate "$connections" "http://127.0.0.1:$nginx_port/thumbnail.webp")
  printf '| %s | %s | %s | %s | %.2f | %.2f |\n' "$connections" "$ok" "$not_modified" "$nginx_ok" \
    "$(echo "$ok / $nginx_ok" | bc -l)" "$(echo "$not_modified / $nginx_ok" | bc -l)"
done
# Log volume: 1000 more thumbnail requests, then the bytes the server wrote for them.
sleep 1
before=$(wc -c <"$work/server.log")
urls=()
for _ in $(seq 100); do urls+=(-o /dev/null "$url"); done
for _ in $(seq 10); do curl -fsg -H "Cookie: $cookie" "${urls[@]}"; done
sleep 1
after=$(wc -c <"$work/server.log")
echo "log: $(( (after - before) / 1000 )) bytes per thumbnail request ($(( after - requests_logged_before )) bytes over the whole run)"
