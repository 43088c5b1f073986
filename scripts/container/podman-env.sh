# Sourced by the container scripts: podman with this repository's settings (containers.conf beside this file) where
# the machine's own defaults cannot run containers (see containers.conf), unless CONTAINERS_CONF is already set.
if [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/containers.conf"
fi
