#!/usr/bin/env bash
# Starts the hawtio console on http://127.0.0.1:8090/hawtio (loopback only, no login) for a distributor running on
# this machine. Then Connect -> Add connection: host 127.0.0.1, port 8081 (DISTRIBUTOR_MANAGEMENT_PORT),
# path /observe/jolokia -> Connect, and open Camel -> log-distributor -> Routes.
# First run downloads io.hawt:hawtio-embedded:3.0.0 (25 MB) and its dependencies from Maven Central.
# Usage: hawtio/run.sh [--port 8090]      Stop it with Ctrl-C (or SIGTERM to its PID).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=8090
[ "${1:-}" = "--port" ] && PORT="$2"
mkdir -p "$HERE/target"
if [ ! -s "$HERE/target/classpath.txt" ]; then
  echo "resolving hawtio-embedded 3.0.0 (first run only)" >&2
  "$HERE/../mvnw" -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$HERE/target/classpath.txt" >&2
fi
exec java -Dhawtio.authenticationEnabled=false -Dhawtio.proxyAllowlist=localhost,127.0.0.1 \
  -Dhawtio.localAddressProbing=false -Dhawtio.disableProxy=false \
  -cp "$(cat "$HERE/target/classpath.txt")" "$HERE/HawtioLauncher.java" --host 127.0.0.1 --port "$PORT"
