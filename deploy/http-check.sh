#!/usr/bin/env bash
# A container health check without curl (the images have bash, not curl), copied into the images as
# /usr/local/bin/http-check:
#   http-check PORT [PATH]      exit 0 when GET http://127.0.0.1:PORT/PATH answers 200 within 5 s
#   http-check analyzer         the same for $ANALYZER_PORT /stats
#   http-check distributor      the same for $DISTRIBUTOR_PORT /health
set -u
case "${1:-}" in
  analyzer) port="${ANALYZER_PORT:-9101}" path=/stats ;;
  distributor) port="${DISTRIBUTOR_PORT:-8080}" path=/health ;;
  [0-9]*) port="$1" path="${2:-/}" ;;
  *) echo "usage: http-check PORT [PATH] | analyzer | distributor" >&2; exit 2 ;;
esac
exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || exit 1
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
read -r -t 5 _ code _ <&3 || exit 1
[ "$code" = 200 ]
