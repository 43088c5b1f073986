#!/usr/bin/env bash
# Local stand-ins for the Dockerfile's base images, for machines that reach Debian's packages and the npm registry
# but no container registry. Each stand-in takes the name the Dockerfile's FROM gives its image (without the digest,
# which only the real image has): the build is then run with --pull=never and --build-arg NODE_IMAGE=... /
# DEBIAN_IMAGE=... naming them (scripts/container/build.sh does). Kept in podman's storage: made once, reused.
#   docker.io/library/debian:bookworm-slim  Debian bookworm, mmdebstrap --variant=minbase (about 2 minutes)
#   docker.io/library/node:20-bookworm-slim the above with this machine's Node (node and npm) and its certificate
#                                           authorities (npm inside a build goes through this machine's TLS proxy)
# Usage: scripts/container/base-images.sh [--force]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/podman-env.sh"

DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim
NODE_IMAGE=docker.io/library/node:20-bookworm-slim
force=${1:-}

exists() { podman image exists "$1"; }

if [ "$force" = --force ] || ! exists "$DEBIAN_IMAGE"; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "Making $DEBIAN_IMAGE with mmdebstrap (minbase) ..."
  mmdebstrap --quiet --variant=minbase --include=ca-certificates \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
    bookworm "$work/rootfs.tar" http://deb.debian.org/debian
  podman import --quiet --change 'CMD ["bash"]' "$work/rootfs.tar" "$DEBIAN_IMAGE" >/dev/null
  rm -f "$work/rootfs.tar"
fi

if [ "$force" = --force ] || ! exists "$NODE_IMAGE"; then
  node_version=$(node --version)
  case "$node_version" in v20.*) ;; *) echo "The Node stand-in is made from this machine's Node 20; found $node_version" >&2; exit 1 ;; esac
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "Making $NODE_IMAGE from $DEBIAN_IMAGE with this machine's Node $node_version ..."
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  mkdir -p "$work/ctx/usr/local/bin" "$work/ctx/usr/local/lib/node_modules" "$work/ctx/etc/ssl/certs"
  cp "$(readlink -f "$(command -v node)")" "$work/ctx/usr/local/bin/node"
  cp -r "$npm_dir" "$work/ctx/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/ctx/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/ctx/usr/local/bin/npx"
  cp /etc/ssl/certs/ca-certificates.crt "$work/ctx/etc/ssl/certs/host-ca-certificates.crt"
  cat >"$work/Containerfile" <<'CONTAINERFILE'
ARG BASE
FROM ${BASE}
COPY ctx/ /
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-certificates.crt
CMD ["node"]
CONTAINERFILE
  podman build --quiet --pull=never --build-arg BASE="$DEBIAN_IMAGE" -t "$NODE_IMAGE" -f "$work/Containerfile" "$work" >/dev/null
fi
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'library/(node|debian)' || true
