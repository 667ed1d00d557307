#!/usr/bin/env bash
# Regenerates the web client's view of the API after a server change: src/Keepsake.Web/openapi.json (what the
# server serves at /openapi/v1.json, written by the test that otherwise checks it) and the TypeScript types
# generated from it (src/Keepsake.Web/src/api/schema.d.ts). Commit both.
set -euo pipefail
cd "$(dirname "$0")/.."

KEEPSAKE_UPDATE_OPENAPI=1 dotnet test tests/Keepsake.Tests -p:BuildWebApp=false --nologo -v quiet \
  --filter "FullyQualifiedName~Keepsake.Tests.Web.OpenApiDocumentTests"
(cd src/Keepsake.Web && npm run generate --silent)
git status --short src/Keepsake.Web/openapi.json src/Keepsake.Web/src/api/schema.d.ts
