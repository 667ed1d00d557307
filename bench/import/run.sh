#!/usr/bin/env bash
# Times `keepsake import` side by side for two builds (e.g. before/after a change) in one run, so both see the same load:
# 16 JPEGs (8 of 10–16 MP, 8 of 2 MP, made by make-photos.cs from the test photos), one 2 MP JPEG (the first-photo
# cost is its time minus the empty folder's), and an empty folder (start-up). Each run gets a fresh database (with
# its user) and data folder. Then the peak RSS of one import of the 16 photos and of ../shared/testdata/photos.
# usage: bench/import/run.sh BUILD_A [BUILD_B] [RUNS=5]     (a build is a folder with keepsake.dll, e.g. src/Keepsake/bin/Release/net10.0)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
a=$(realpath "$1"); b=$(realpath "${2:-$1}"); runs=${3:-5}
work=$(mktemp -d /tmp/keepsake-import-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
photos=${KEEPSAKE_BENCH_PHOTOS:-$HOME/.cache/keepsake-bench/import-photos}
[ -f "$photos/photo-15.jpg" ] || dotnet run "$here/make-photos.cs" -- "$here/../../../shared/testdata/photos" "$photos"
mkdir -p "$work/one" "$work/empty" && cp "$photos/photo-08.jpg" "$work/one/"
export KEEPSAKE_Database__ConnectionString="Data Source=$work/run/keepsake.db" KEEPSAKE_Storage__Path="$work/run/data"
mkdir -p "$work/run"
echo 'correct horse battery staple' | dotnet "$a/keepsake.dll" user create bench@example.com --password-stdin >/dev/null
cp "$work/run/keepsake.db" "$work/template.db"
fresh="rm -rf $work/run && mkdir -p $work/run && cp $work/template.db $work/run/keepsake.db"
uptime
commands=()
for build in "$a" "$b"; do
  for folder in "$photos" "$work/one" "$work/empty"; do
    commands+=("dotnet $build/keepsake.dll import $folder --user bench@example.com")
  done
done
hyperfine --runs "$runs" --prepare "$fresh" --export-markdown "$work/import.md" --export-json "$work/import.json" "${commands[@]}" >/dev/null
# Medians: hyperfine's Markdown has means; the JSON has every run.
jq -r '.results[] | "\(.command | sub("dotnet "; "") | sub(" --user.*"; "")) | median \(.median * 1000 | floor) ms | min \(.min * 1000 | floor) | max \(.max * 1000 | floor) | user \(.user * 1000 | floor) ms"' "$work/import.json"
for build in "$a" "$b"; do
  for folder in "$photos" "$here/../../../shared/testdata/photos"; do
    eval "$fresh"
    /usr/bin/time -f "$build $(basename "$folder"): peak RSS %M KiB, wall %e s" dotnet "$build/keepsake.dll" import "$folder" --user bench@example.com 2>&1 >/dev/null | grep peak
  done
done
uptime
