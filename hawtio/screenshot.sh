#!/usr/bin/env bash
# Proves that the hawtio console opens on a running distributor by README.md's steps, and takes the screenshot of its
# Camel routes that README.md shows (docs/hawtio-routes.png). Headless Chromium, driven by hawtio/screenshot.mjs
# (playwright-core, installed into hawtio/node_modules by npm ci on the first run) through hawtio's own UI: Connect ->
# Add connection -> Connect, then Camel -> log-distributor -> Routes. Exits 1, and says why, when the routes table does
# not show the route ids (default ingest-http,deliver-a1).
# Needs: a distributor (bin/distributor) and hawtio (hawtio/run.sh) running on this machine, node 20+ with npm, and
# Debian's chromium (apt-get install chromium) or --chromium PATH. Not part of ./mvnw verify.
# Usage: hawtio/screenshot.sh [--management-port 8081] [--hawtio-port 8090] [--out docs/hawtio-routes.png]
#                             [--routes ingest-http,deliver-a1] [--breaker docs/hawtio-breaker.png] [--chromium PATH]
# The ports default to DISTRIBUTOR_MANAGEMENT_PORT and HAWTIO_PORT, else 8081 and 8090; relative paths are taken
# from the repository root.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v node >/dev/null || { echo "screenshot: needs node (20 or later) and npm" >&2; exit 2; }
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  echo "screenshot: installing playwright-core into hawtio/node_modules (first run only)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
cd "$HERE/.."
exec node "$HERE/screenshot.mjs" "$@"
