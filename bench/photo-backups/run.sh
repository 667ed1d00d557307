#!/usr/bin/env bash
# `keepsake backup photos` next to the raw tools in the same run: the first full copy of a library against
# `cp -r` + `sync` and `rclone copy` of the same originals folder (to a folder, and to a second S3 server,
# s3rver), then the incremental run over an unchanged library of INCREMENTAL photos.
# Usage: bench/photo-backups/run.sh [PHOTOS=1000] [SIZE_KB=256] [INCREMENTAL=10000] [ROUNDS=5]
# (build first: dotnet build Keepsake.slnx -c Release; needs rclone and node + s3rver as scripts/test.sh installs it)
set -euo pipefail
cd "$(dirname "$0")/../.."
photos=${1:-1000}
size_kb=${2:-256}
incremental=${3:-10000}
rounds=${4:-5}
keepsake=(dotnet "$PWD/src/Keepsake/bin/Release/net10.0/keepsake.dll")
tools="${KEEPSAKE_TEST_TOOLS:-${HOME:-/tmp}/.cache/keepsake-test-tools}"
command -v rclone >/dev/null || { echo "rclone is needed: apt-get install rclone" >&2; exit 1; }
[ -x "$tools/node_modules/.bin/s3rver" ] || { echo "s3rver is needed under $tools: run scripts/test.sh once" >&2; exit 1; }
work=$(mktemp -d /tmp/keepsake-bench-photo-backups-XXXXXX)
s3rver_pid=""
cleanup() {
  [ -z "$s3rver_pid" ] || kill "$s3rver_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

seconds() { local start=$(date +%s.%N); "$@" >"$work/last.out" 2>"$work/last.err" || { cat "$work/last.out" "$work/last.err" >&2; exit 1; }; echo "$(date +%s.%N) - $start" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mib_per_s() { echo "scale=1; $1 / 1048576 / $2" | bc; }
row() { printf '| %s | %s | %.2f s (%s MiB/s) | %s | %.2f s (%s MiB/s) | %s |\n' "$1" "$2" "$3" "$(mib_per_s "$bytes" "$3")" "$4" "$5" "$(mib_per_s "$bytes" "$5")" "$(ratio "$3" "$5")"; }

# library LIBRARY COUNT SIZE_KB: a SQLite database and a data folder holding COUNT originals of random bytes (no
# photo is decoded by a copy, so the bytes need not be an image), their rows written straight into the database.
library() {
  local folder=$work/$1
  mkdir -p "$folder"
  KEEPSAKE_Database__ConnectionString="Data Source=$folder/keepsake.db" KEEPSAKE_Storage__Path="$folder/data" \
    "${keepsake[@]}" user create "bench@example.com" --password-stdin <<<"a long bench password" >/dev/null
  python3 - "$folder" "$2" "$3" <<'PYTHON'
import hashlib, os, sqlite3, sys, uuid
folder, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) * 1024
db = sqlite3.connect(os.path.join(folder, "keepsake.db"))
owner = db.execute("SELECT Id FROM AspNetUsers").fetchone()[0]
originals = os.path.join(folder, "data", "originals", uuid.UUID(owner).hex)
os.makedirs(originals, exist_ok=True)
rows = []
for _ in range(count):
    photo = uuid.uuid4()
    content = os.urandom(size)
    with open(os.path.join(originals, photo.hex), "wb") as f:
        f.write(content)
    rows.append((str(photo).upper(), owner, "bench.jpg", "jpeg", size, hashlib.sha256(content).hexdigest(), 1, 1, 1,
                 "2026-01-01 00:00:00", "2026-01-01 00:00:00"))
db.executemany("INSERT INTO photos (Id, OwnerId, OriginalFileName, Format, SizeBytes, Sha256, Width, Height, Orientation,"
               " UploadedAt, TimelineAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
PYTHON
}

# backup_photos LIBRARY VARIABLE=VALUE...: one `keepsake backup photos` run on LIBRARY with the target's settings.
backup_photos() {
  local folder=$work/$1
  shift
  env KEEPSAKE_Database__ConnectionString="Data Source=$folder/keepsake.db" KEEPSAKE_Storage__Path="$folder/data" "$@" \
    "${keepsake[@]}" backup photos
}

echo "library: $photos originals of $size_kb KiB of random bytes (SQLite + a data folder); $incremental for the incremental run"
library full "$photos" "$size_kb"
bytes=$((photos * size_kb * 1024))
originals=$work/full/data/originals

echo
echo "| target | keepsake | time | peer | time | ratio |"
echo "|---|---|---|---|---|---|"
ks=$(seconds backup_photos full KEEPSAKE_Backups__Photos__Provider=filesystem KEEPSAKE_Backups__Photos__Path="$work/copies")
grep -q "^copied $photos " "$work/last.out" || { echo "keepsake copied other than $photos: $(cat "$work/last.out")" >&2; exit 1; }
cp_sync=$(seconds sh -c "cp -r '$originals' '$work/cp-copy' && sync")
row "folder" "backup photos" "$ks" "cp -r + sync" "$cp_sync"
rclone_folder=$(seconds rclone copy "$originals" "$work/rclone-copy")
row "folder" "backup photos" "$ks" "rclone copy" "$rclone_folder"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/s3rver"
node --openssl-legacy-provider "$tools/node_modules/.bin/s3rver" -d "$work/s3rver" -a 127.0.0.1 -p "$port" --silent \
  --configure-bucket keepsake-copies --configure-bucket rclone-copies >"$work/s3rver.log" 2>&1 &
s3rver_pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done
s3=(KEEPSAKE_Backups__Photos__Provider=s3 KEEPSAKE_Backups__Photos__S3__ServiceUrl="http://127.0.0.1:$port"
  KEEPSAKE_Backups__Photos__S3__Bucket=keepsake-copies KEEPSAKE_Backups__Photos__S3__ForcePathStyle=true
  KEEPSAKE_Backups__Photos__S3__AccessKey=S3RVER KEEPSAKE_Backups__Photos__S3__SecretKey=S3RVER)
ks_s3=$(seconds backup_photos full "${s3[@]}")
export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_S3RVER_TYPE=s3 RCLONE_CONFIG_S3RVER_PROVIDER=Other RCLONE_CONFIG_S3RVER_ENDPOINT="http://127.0.0.1:$port" \
  RCLONE_CONFIG_S3RVER_ACCESS_KEY_ID=S3RVER RCLONE_CONFIG_S3RVER_SECRET_ACCESS_KEY=S3RVER
# A CA bundle in the environment (AWS_CA_BUNDLE) makes rclone 1.60's S3 client fail before it connects; loopback is plain HTTP.
rclone_s3=$(seconds env -u AWS_CA_BUNDLE rclone copy "$originals" s3rver:rclone-copies)
row "S3 (s3rver)" "backup photos" "$ks_s3" "rclone copy" "$rclone_s3"

# The unchanged library: keepsake reads its table of copies, a peer lists and compares both sides.
echo
echo "library for the incremental run: $incremental originals of 4 KiB"
library many "$incremental" 4
bytes=$((incremental * 4096))
echo
echo "| first copy of $incremental small files | keepsake | time | peer | time | ratio |"
echo "|---|---|---|---|---|---|"
ks_many=$(seconds backup_photos many KEEPSAKE_Backups__Photos__Provider=filesystem KEEPSAKE_Backups__Photos__Path="$work/many-copies")
rclone_many=$(seconds rclone copy "$work/many/data/originals" "$work/many-rclone")
row "folder" "backup photos" "$ks_many" "rclone copy" "$rclone_many"
ks_runs=()
rclone_runs=()
start_runs=()
for _ in $(seq "$rounds"); do
  ks_runs+=("$(seconds backup_photos many KEEPSAKE_Backups__Photos__Provider=filesystem KEEPSAKE_Backups__Photos__Path="$work/many-copies")")
  grep -q "^copied 0 (0 bytes), already there $incremental," "$work/last.out" || { echo "an unchanged run copied: $(cat "$work/last.out")" >&2; exit 1; }
  rclone_runs+=("$(seconds rclone copy "$work/many/data/originals" "$work/many-rclone")")
  start_runs+=("$(seconds env KEEPSAKE_Database__ConnectionString="Data Source=$work/many/keepsake.db" KEEPSAKE_Storage__Path="$work/many/data" "${keepsake[@]}" backup list)")
done
echo
echo "| unchanged library of $incremental | median of $rounds | min | max |"
echo "|---|---|---|---|"
for name in ks rclone start; do
  declare -n runs=${name}_runs
  label=$([ "$name" = ks ] && echo "keepsake backup photos" || { [ "$name" = rclone ] && echo "rclone copy (folder)" || echo "keepsake backup list (process start alone)"; })
  printf '| %s | %.2f s | %.2f s | %.2f s |\n' "$label" "$(median "${runs[@]}")" "$(printf '%s\n' "${runs[@]}" | sort -g | head -1)" "$(printf '%s\n' "${runs[@]}" | sort -g | tail -1)"
done
