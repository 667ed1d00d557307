#!/usr/bin/env bash
# Sets the Keepsake image of one overlay: set-image.sh OVERLAY TAG [DIGEST]
# The commit that carries this change is the deploy's audit trail.
set -euo pipefail

overlay=deploy/k8s/overlays/$1 tag=$2 digest=${3:-}
[ -f "$overlay/kustomization.yaml" ] || { echo "no overlay at $overlay" >&2; exit 1; }
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] && [ "$tag" != latest ] || { echo "not a release tag: $tag" >&2; exit 1; }
[ -z "$digest" ] || [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "not an image digest: $digest" >&2; exit 1; }

sed -i -E "s|^(    newTag: ).*|\1$tag|" "$overlay/kustomization.yaml"
if [ -n "$digest" ]; then
  if grep -q '^    digest: ' "$overlay/kustomization.yaml"; then
    sed -i -E "s|^(    digest: ).*|\1$digest|" "$overlay/kustomization.yaml"
  else
    sed -i -E "s|^(    newTag: .*)|\1\n    digest: $digest|" "$overlay/kustomization.yaml"
  fi
fi
grep -E '^    (newTag|digest): ' "$overlay/kustomization.yaml"
