#!/usr/bin/env bash
# Prints the tag and digest of the image the staging overlay names at a commit, which is what promote.yml
# puts into prod: the exact image staging ran, never a rebuild and never whatever main holds now.
# Usage: staging-image.sh COMMIT   (prints "TAG DIGEST"; run inside the clone)
set -euo pipefail

commit=$1
overlay=$(git show "$commit:deploy/k8s/overlays/staging/kustomization.yaml")
tag=$(sed -nE 's/^    newTag: ([^ ]+)$/\1/p' <<<"$overlay")
digest=$(sed -nE 's/^    digest: (sha256:[0-9a-f]{64})$/\1/p' <<<"$overlay")
if [ -z "$digest" ]; then
  echo "the staging overlay at $commit names no image digest (tag ${tag:-none}); only an image a release recorded can be promoted" >&2
  exit 1
fi
echo "$tag $digest"
