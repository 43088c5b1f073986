#!/usr/bin/env bash
# Builds the image from the repository's Dockerfile with podman, as the README says:
#   scripts/container/build.sh [-t NAME] [more podman build arguments, e.g. --build-arg INCLUDE_PRETRAINED=false]
# The base images are the Dockerfile's, pinned by digest, where they can be pulled (or are already here); where no
# registry can be reached, base-images.sh's local stand-ins of the same names are made (once) and named to the
# build. Docker format, so the image keeps its HEALTHCHECK.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/podman-env.sh"

pinned() { sed -n "s/^ARG $1=//p" "$root/Dockerfile"; }
overrides=()
standins=false
for arg in NODE_IMAGE DEBIAN_IMAGE; do
  image=$(pinned "$arg")
  [ -n "$image" ] || { echo "The Dockerfile has no ARG $arg=" >&2; exit 1; }
  if podman image exists "$image" || podman pull --quiet "$image" >/dev/null 2>&1; then
    continue
  fi
  standins=true
  overrides+=(--build-arg "$arg=${image%@sha256:*}")
done
if $standins; then
  echo "No registry reached: building on local stand-ins of the base images (scripts/container/base-images.sh)."
  "$here/base-images.sh"
fi
has_tag=false
for a in "$@"; do [ "$a" = -t ] || [ "$a" = --tag ] && has_tag=true; done
$has_tag || set -- -t digit-lab "$@"
exec podman build --format docker --pull=never "${overrides[@]}" "$@" "$root"
