#!/usr/bin/env bash
# Regenerates the compiled EF models (src/Keepsake/CompiledModels) after a change to any entity's mapping, beside
# the migrations for it. Every context starts from these instead of building its model from the mappings at start;
# Keepsake.Tests.Data.CompiledModelTests fails while they differ from what the mappings build. Commit the folder.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet tool restore >/dev/null
dotnet build src/Keepsake -c Release -p:BuildWebApp=false --nologo -v quiet
rm -rf src/Keepsake/CompiledModels
for provider in Sqlite Postgres; do
  (cd src/Keepsake && dotnet ef dbcontext optimize --no-build --configuration Release --context "${provider}KeepsakeDbContext" \
    --output-dir "CompiledModels/$provider" --namespace "Keepsake.CompiledModels.$provider" >/dev/null)
done
# A file past the 300-line limit (the photo, with its many columns) is split by operation into partial class files.
python3 scripts/split-compiled-models.py src/Keepsake/CompiledModels/*/*EntityType.cs
git status --short src/Keepsake/CompiledModels
