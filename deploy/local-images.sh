#!/usr/bin/env bash
# Base images made from Debian packages only, for machines that reach no container registry (podman or docker):
#   localhost/debian-bookworm:base   debootstrap --variant=minbase bookworm, imported
#   localhost/logdist-jre17:base     + openjdk-17-jre-headless       (stands in for eclipse-temurin:17-jre)
#   localhost/logdist-build17:base   + openjdk-17-jdk-headless maven (stands in for maven:3.9-eclipse-temurin-17;
#                                      only with --with-build: compose-demo.sh builds the jars on the host instead)
# An image that exists already is kept (the cache); --rebuild makes them again. Needs root (debootstrap).
#   deploy/local-images.sh [--with-build] [--rebuild] [--engine podman|docker]
# Prints the build arguments that select them: JRE_IMAGE=... BUILD_IMAGE=... (PREBUILT=1 without --with-build)
set -euo pipefail
WITH_BUILD=0; REBUILD=0; ENGINE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --with-build) WITH_BUILD=1; shift ;;
    --rebuild) REBUILD=1; shift ;;
    --engine) ENGINE="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "local-images: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$ENGINE" ] || { command -v podman >/dev/null && ENGINE=podman || ENGINE=docker; }
BASE=localhost/debian-bookworm:base JRE=localhost/logdist-jre17:base BUILD=localhost/logdist-build17:base
log() { printf '[local-images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
have() { [ "$REBUILD" = 0 ] && "$ENGINE" image inspect "$1" >/dev/null 2>&1; }

# the Debian mirror apt uses here (deb822 or one-line sources), else deb.debian.org
mirror() {
  local m
  m="$(sed -n 's/^URIs: *\(\S*debian\)\/\?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)"
  [ -n "$m" ] || m="$(sed -n 's/^deb \(\[[^]]*\] \)\?\(\S*debian\)\/\? bookworm .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1)"
  echo "${m:-http://deb.debian.org/debian}"
}

if ! have "$BASE"; then
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  [ "$(id -u)" = 0 ] || { log "debootstrap needs root"; exit 1; }
  TREE="$(mktemp -d /var/tmp/logdist-rootfs.XXXXXX)"
  trap 'rm -rf "$TREE"' EXIT
  log "debootstrap --variant=minbase bookworm from $(mirror) (about 30 s)"
  debootstrap --variant=minbase bookworm "$TREE" "$(mirror)" >"$TREE.log" 2>&1 \
    || { log "debootstrap failed; see $TREE.log"; tail -5 "$TREE.log" >&2; exit 1; }
  rm -f "$TREE.log"
  rm -rf "$TREE"/var/cache/apt/archives/*.deb "$TREE"/var/lib/apt/lists/*
  QUIET=(); [ "$ENGINE" = podman ] && QUIET=(--quiet)
  tar -C "$TREE" -c . | "$ENGINE" import "${QUIET[@]}" - "$BASE" >/dev/null
  rm -rf "$TREE"; trap - EXIT
  log "imported $BASE"
fi

apt_image() { # tag packages...
  local tag="$1" ctx; shift
  have "$tag" && return 0
  log "building $tag: $* from Debian"
  ctx="$(mktemp -d)"
  printf 'FROM %s\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends %s \\\n && apt-get clean && rm -rf /var/lib/apt/lists/*\n' \
    "$BASE" "$*" | "$ENGINE" build -t "$tag" -f - "$ctx" >"$ctx.log" 2>&1 \
    || { log "building $tag failed:"; tail -n 15 "$ctx.log" >&2; rm -rf "$ctx" "$ctx.log"; exit 1; }
  rm -rf "$ctx" "$ctx.log"
}
apt_image "$JRE" openjdk-17-jre-headless
[ "$WITH_BUILD" = 1 ] && apt_image "$BUILD" openjdk-17-jdk-headless maven
if [ "$WITH_BUILD" = 1 ]; then echo "JRE_IMAGE=$JRE BUILD_IMAGE=$BUILD"; else echo "JRE_IMAGE=$JRE BUILD_IMAGE=$JRE PREBUILT=1"; fi
