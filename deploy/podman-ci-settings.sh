#!/usr/bin/env bash
# CI only: the two podman settings these VMs need (see docs/compose.md), written to /etc/containers/containers.conf
# unless it already has them. Never run by compose-demo.sh: on a user's machine it only prints them.
#   deploy/podman-ci-settings.sh [--print]
set -euo pipefail
CONF=/etc/containers/containers.conf
SETTINGS='[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"'
if [ "${1:-}" = "--print" ]; then printf '%s\n' "$SETTINGS"; exit 0; fi
if [ -f "$CONF" ] && grep -q '^runtime = "runc"' "$CONF" && grep -q 'nofile=20000' "$CONF"; then
  echo "podman settings: already in $CONF"; exit 0
fi
if [ -f "$CONF" ] && grep -qE '^\[(containers|engine)\]' "$CONF"; then
  echo "podman settings: $CONF has its own [containers]/[engine] sections; add these by hand:" >&2
  printf '%s\n' "$SETTINGS" >&2; exit 1
fi
mkdir -p "$(dirname "$CONF")"
printf '# written by deploy/podman-ci-settings.sh (CI): ulimits this VM allows, runc instead of crun\n%s\n' "$SETTINGS" >>"$CONF"
echo "podman settings: written to $CONF"
