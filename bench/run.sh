#!/usr/bin/env bash
# The distributor against nginx on this machine, row by row, with the performance goals judged at the end.
#
# Each row posts the same body with wrk (-t2, 64 connections) to nginx and then to the distributor, in turn, for
# --rounds rounds (3); a row's ratio is the median of its rounds' ratios (one row alone varies by 10 % or more on a
# shared 2-core machine, two rows taken in turn much less). The rows:
#   size N        packets of N messages (--sizes, default 1,10,100,1000), nginx proxying to four bin/analyzer sinks
#                 (weights 4/3/1/2) against the distributor delivering to the same four; at 10 messages also the
#                 distributor with each other durability of --modes (memory, fsync) and, with Kafka, the Kafka buffer
#   gzip          the 10-message packet gzip-compressed (Content-Encoding: gzip); nginx proxies it as it is
#   stub          the 10-message packet, both in front of analyzers that do no work: four nginx `return 200` stubs
#   extra rows    --row name=PATH,content-type=TYPE,body=FILE[,encoding=gzip][,messages=N]: that body (N log
#                 records in it, 1 if not given) to PATH on the distributor, and to nginx, which proxies it to the
#                 analyzers' /logs as it is (another protocol's ingest, e.g. OTLP protobuf or a bulk request; an
#                 analyzer refusing a body it cannot read shows in nginx's non-2xx column, its cost is alike)
#   otlp, bulk, lines  the other protocols' requests of 10 log records each (--no-protocols leaves them out): OTLP
#                 protobuf to /v1/logs, an Elasticsearch bulk request to /es/_bulk, JSON lines to /logs; their goal is
#                 the distributor's CPU per message at most 1.5 times that of 10-message native packets
# then paced rows at about 70 % of the 10-message rate of the default distributor and of each durability (latency),
# and with --memory-check a minute at full rate with one analyzer down, the distributor's heap sampled.
# Prints a table (also bench/RESULTS.md), the ratios, and a summary with each goal, its measured value and PASS, MISS
# or SKIP (not measured in this run); exits 1 when a goal is missed. Everything runs on loopback, bounded in time,
# stopped by PID. Installs wrk and nginx (Debian) when missing and builds the jars when missing.
#
# Usage: bench/run.sh [--duration S (15)] [--warmup S (30)] [--rounds N (3)] [--conns N (64)]
#                     [--sizes 1,10,100,1000] [--modes write,memory,fsync] [--no-gzip] [--no-stub] [--no-kafka] [--no-protocols]
#                     [--row name=PATH,content-type=TYPE,body=FILE[,encoding=gzip][,messages=N]]... [--memory-check]
#                     [--memory-seconds S (60)] [--profile]
# The default run takes about 18 minutes on the project's 2-core machine, 19 with --memory-check (docs/performance.md).
# --profile records the default distributor's first 10-message round with JFR and prints where its CPU goes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DUR=15; WARM=30; SIZES=1,10,100,1000; ROUNDS=3; CONNS=64; PROFILE=0; KAFKA=1; MODES=write,memory,fsync
GZIP_ROW=1; STUB_ROW=1; PROTOCOL_ROWS=1; MEMCHECK=0; MEMSECS=60; ROW_SPECS=()
usage() { sed -n '/^# Usage/,/^# The default/p' "$0" | sed 's/^# //' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DUR="$2"; shift 2 ;; --warmup) WARM="$2"; shift 2 ;;
    --rounds|--repeat) ROUNDS="$2"; shift 2 ;; --conns) CONNS="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;; --modes) MODES="$2"; shift 2 ;;
    --kafka) KAFKA=1; shift ;; --no-kafka) KAFKA=0; shift ;;
    --no-gzip) GZIP_ROW=0; shift ;; --no-stub) STUB_ROW=0; shift ;; --no-protocols) PROTOCOL_ROWS=0; shift ;;
    --row) ROW_SPECS+=("$2"); shift 2 ;; --memory-check) MEMCHECK=1; shift ;; --memory-seconds) MEMSECS="$2"; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    -h|--help) usage ;;
    *) echo "bench: unknown option $1" >&2; usage ;;
  esac
done
for n in "$DUR" "$WARM" "$ROUNDS" "$CONNS" "$MEMSECS"; do [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] || { echo "bench: not a positive number: $n" >&2; exit 2; }; done
IFS=',' read -r -a SIZE_LIST <<<"$SIZES"
for s in "${SIZE_LIST[@]}"; do [[ "$s" =~ ^[0-9]+$ ]] && [ "$s" -gt 0 ] || { echo "bench: --sizes takes numbers, got $s" >&2; exit 2; }; done
IFS=',' read -r -a MODE_LIST <<<"$MODES"; EXTRA=()
for m in "${MODE_LIST[@]}"; do case "$m" in write) ;; memory|fsync) EXTRA+=("$m") ;; *) echo "bench: --modes takes write, memory, fsync" >&2; exit 2 ;; esac; done
# --row specs: name=PATH,content-type=TYPE,body=FILE[,encoding=gzip]
ROW_NAMES=(); declare -A ROW_PATH ROW_TYPE ROW_BODY ROW_ENC ROW_MSGS
for spec in "${ROW_SPECS[@]}"; do
  name="${spec%%=*}"; rest="${spec#*=}"; path="${rest%%,*}"; type=""; body=""; enc=""; msgs=1
  IFS=',' read -r -a kvs <<<"${rest#"$path"}"
  for kv in "${kvs[@]}"; do case "$kv" in "") ;; content-type=*) type="${kv#*=}" ;; body=*) body="${kv#*=}" ;; encoding=*) enc="${kv#*=}" ;;
    messages=*) msgs="${kv#*=}" ;; *) echo "bench: --row $spec: unknown part $kv" >&2; exit 2 ;; esac; done
  [[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] && [[ "$path" == /* ]] && [ -n "$type" ] && [ -r "$body" ] \
    || { echo "bench: --row takes name=PATH,content-type=TYPE,body=FILE[,encoding=gzip][,messages=N] with a readable FILE, got $spec" >&2; exit 2; }
  ROW_NAMES+=("$name"); ROW_PATH[$name]=$path; ROW_TYPE[$name]=$type; ROW_BODY[$name]="$(cd "$(dirname "$body")" && pwd)/$(basename "$body")"; ROW_ENC[$name]=$enc; ROW_MSGS[$name]=$msgs
  [[ "$msgs" =~ ^[0-9]+$ ]] && [ "$msgs" -gt 0 ] || { echo "bench: --row $spec: messages= takes a number" >&2; exit 2; }
done
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; break; }
done
[ -f distributor/target/log-distributor.jar ] && [ -f analyzers/target/log-analyzer.jar ] || ./mvnw -B -q -DskipTests package

RUN="$(mktemp -d -t logdist-bench.XXXXXX)"; PIDS=(); STARTED=$(date +%s)
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
stop_all() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ "$KAFKA" = 1 ] && [ -f "$RUN/kafka/broker.pid" ]; then KAFKA_DATA_DIR="$RUN/kafka" kafka/broker.sh stop >/dev/null 2>&1 || true; fi; }
trap stop_all EXIT; trap 'exit 130' INT TERM
wait_http() { for _ in $(seq 300); do curl -sf -o /dev/null --max-time 1 "$1" && return 0; sleep 0.2; done; log "no answer from $1"; return 1; }

# ports: analyzers 19101-19104, nginx 19090 (to the analyzers) and 19091 (to the stubs), stubs 19111-19114,
# distributors 18080 (write), 18180 (kafka), 18280 (memory), 18380 (fsync), 18480 (write, to the stubs); management +1
mode_port() { case "$1" in write) echo 18080 ;; kafka) echo 18180 ;; memory) echo 18280 ;; fsync) echo 18380 ;; stub) echo 18480 ;; esac; }
SYSTEMS=(write "${EXTRA[@]}"); [ "$STUB_ROW" = 1 ] && SYSTEMS+=(stub)
for p in 19090 19091 19101 19102 19103 19104 19111 19112 19113 19114 19392 19393 \
    $(for s in "${SYSTEMS[@]}" kafka; do echo "$(mode_port "$s")" $(($(mode_port "$s") + 1)); done); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then log "port $p is in use; stop what runs there first"; exit 1; fi
done

PORTS=(19101 19102 19103 19104); NAMES=(a1 a2 a3 a4); WEIGHTS=(4 3 1 2); STUB_PORTS=(19111 19112 19113 19114)
start_analyzer() { # index
  ANALYZER_PORT="${PORTS[$1]}" ANALYZER_NAME="${NAMES[$1]}" ANALYZER_HOST=127.0.0.1 bin/analyzer >>"$RUN/analyzer-$1.log" 2>&1 &
  PIDS+=("$!"); APIDS[$1]=$!
}
for i in 0 1 2 3; do start_analyzer "$i"; done
for p in "${PORTS[@]}"; do wait_http "http://127.0.0.1:$p/stats"; done

upstream() { # name port... : a weighted upstream block
  local name="$1" i=0 p; shift; echo "upstream $name {"
  for p in "$@"; do echo "  server 127.0.0.1:$p weight=${WEIGHTS[$i]};"; i=$((i + 1)); done; echo "  keepalive 64; }"; }
temp_paths() { echo "client_body_temp_path $RUN/$1-b; proxy_temp_path $RUN/$1-p; fastcgi_temp_path $RUN/$1-f; uwsgi_temp_path $RUN/$1-u; scgi_temp_path $RUN/$1-s;"; }
cat >"$RUN/nginx.conf" <<NGINX
worker_processes auto; daemon off; pid $RUN/nginx.pid; error_log $RUN/nginx.err error;
events { worker_connections 16384; multi_accept on; }
http {
  access_log off; keepalive_requests 10000000; client_max_body_size 10m; client_body_buffer_size 1m; $(temp_paths nginx)
  $(upstream analyzers "${PORTS[@]}")
  $(upstream stubs "${STUB_PORTS[@]}")
  # any path goes to the analyzers' /logs: extra rows post other protocols' bodies, which nginx passes on as they are
  server { listen 127.0.0.1:19090 backlog=4096;
    location / { rewrite ^ /logs break; proxy_pass http://analyzers; proxy_http_version 1.1; proxy_set_header Connection ""; } }
  server { listen 127.0.0.1:19091 backlog=4096;
    location / { proxy_pass http://stubs; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
nginx -p "$RUN" -c "$RUN/nginx.conf" >"$RUN/nginx.log" 2>&1 &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
if [ "$STUB_ROW" = 1 ]; then
  # analyzers that do no work: nginx answering 200 to everything (as the baseline harness's stubs), one process
  cat >"$RUN/stubs.conf" <<NGINX
worker_processes 2; daemon off; pid $RUN/stubs.pid; error_log $RUN/stubs.err error;
events { worker_connections 16384; multi_accept on; }
http { access_log off; keepalive_requests 10000000; keepalive_timeout 75s; client_max_body_size 10m; client_body_buffer_size 64k; $(temp_paths stubs)
$(for p in "${STUB_PORTS[@]}"; do echo "  server { listen 127.0.0.1:$p backlog=4096; location = /stats { stub_status; } location / { return 200; } }"; done)
}
NGINX
  nginx -p "$RUN" -c "$RUN/stubs.conf" >"$RUN/stubs.log" 2>&1 &
  STUBS_PID=$!; PIDS+=("$STUBS_PID")
fi
declare -A DPID
start_distributor() { # system analyzers-spec [extra env...]
  local s="$1" spec="$2" port; port=$(mode_port "$1"); shift 2
  env DISTRIBUTOR_PORT="$port" DISTRIBUTOR_MANAGEMENT_PORT=$((port + 1)) DISTRIBUTOR_HOST=127.0.0.1 \
    DISTRIBUTOR_DATA_DIR="$RUN/data-$s" DISTRIBUTOR_ANALYZERS="$spec" "$@" bin/distributor >"$RUN/distributor-$s.log" 2>&1 &
  DPID[$s]=$!; PIDS+=("$!")
}
spec_of() { local i=0 p out=""; for p in "$@"; do out+="${out:+,}${NAMES[$i]}@${WEIGHTS[$i]}=http://127.0.0.1:$p/logs"; i=$((i + 1)); done; echo "$out"; }
start_distributor write "$(spec_of "${PORTS[@]}")"
for m in "${EXTRA[@]}"; do start_distributor "$m" "$(spec_of "${PORTS[@]}")" DISTRIBUTOR_DURABILITY="$m"; done
[ "$STUB_ROW" = 1 ] && start_distributor stub "$(spec_of "${STUB_PORTS[@]}")"
if [ "$KAFKA" = 1 ]; then
  if KAFKA_PORT=19392 KAFKA_CONTROLLER_PORT=19393 KAFKA_DATA_DIR="$RUN/kafka" kafka/broker.sh start >&2; then
    BROKER_PID=$(cat "$RUN/kafka/broker.pid")
    start_distributor kafka "$(spec_of "${PORTS[@]}")" DISTRIBUTOR_BUFFER=kafka DISTRIBUTOR_KAFKA_BOOTSTRAP=127.0.0.1:19392
    SYSTEMS+=(kafka)
  else
    log "the Kafka broker did not start: no Kafka row"; KAFKA=0
  fi
fi
for s in "${SYSTEMS[@]}"; do wait_http "http://127.0.0.1:$(mode_port "$s")/health"; done
[ "$STUB_ROW" = 1 ] && for p in "${STUB_PORTS[@]}"; do wait_http "http://127.0.0.1:$p/stats"; done

packet() { # messages -> file: a packet of that many messages (no packetId, so that none is a duplicate)
  local n="$1" f="$RUN/packet$1.json" i
  [ -f "$f" ] && { echo "$f"; return; }
  { printf '{"agentId":"bench","messages":['
    for ((i = 0; i < n; i++)); do
      [ "$i" -gt 0 ] && printf ','
      printf '{"timestamp":"2026-11-25T12:00:%02d.%03dZ","level":"INFO","source":"node-%d","service":"checkout","message":"GET /api/cart/%d served status=200 duration_ms=%d user=u-%d"}' $((i % 60)) $((i % 1000)) $((i % 4)) "$i" $((i % 97)) $((i * 7))
    done
    printf ']}'; } >"$f"
  echo "$f"
}
gzip -9 -c "$(packet 10)" >"$RUN/packet10.json.gz"
protocol_row() { # name path content-type body: one more --row, of 10 records
  ROW_NAMES+=("$1"); ROW_PATH[$1]=$2; ROW_TYPE[$1]=$3; ROW_BODY[$1]=$4; ROW_ENC[$1]=""; ROW_MSGS[$1]=10; PROTOCOLS+=("$1"); }
PROTOCOLS=()
if [ "$PROTOCOL_ROWS" = 1 ]; then
  for i in 0 1 2 3 4 5 6 7 8 9; do
    printf '{"index":{"_index":"bench"}}\n{"@timestamp":"2026-11-25T10:00:00.%03dZ","log.level":"INFO","host.name":"web-1","service.name":"checkout","message":"payment gateway timeout after 3000 ms","trace.id":"a1b2c3","region":"eu-west-1"}\n' "$i"
  done >"$RUN/bulk10.ndjson"
  for i in 0 1 2 3 4 5 6 7 8 9; do
    printf '{"timestamp":"2026-11-25T10:00:00.%03dZ","level":"INFO","host":"web-1","service":"checkout","message":"payment gateway timeout after 3000 ms","traceId":"a1b2c3","region":"eu-west-1"}\n' "$i"
  done >"$RUN/lines10.ndjson"
  protocol_row bulk /es/_bulk application/x-ndjson "$RUN/bulk10.ndjson"
  protocol_row lines /logs application/x-ndjson "$RUN/lines10.ndjson"
  # the OTLP body is written by the test sources' OtlpRequests (compiled by the build, even with -DskipTests)
  if java -cp "distributor/target/log-distributor.jar:distributor/target/test-classes:distributor/target/lib/*" dev.logdist.otlp.OtlpRequests "$RUN/otlp10.pb" 10 >/dev/null 2>&1; then
    protocol_row otlp /v1/logs application/x-protobuf "$RUN/otlp10.pb"
  else
    log "no OTLP body (distributor/target/test-classes lacks OtlpRequests: build with ./mvnw -B -DskipTests package): no otlp row"
  fi
fi
ticks() { local t=0 p; for p in "$@"; do for c in "$p" $(ps -o pid= --ppid "$p" 2>/dev/null); do
  [ -r "/proc/$c/stat" ] && t=$((t + $(sed 's/.*) //' "/proc/$c/stat" | awk '{print $12 + $13}'))); done; done; echo "$t"; }
counts() { local p; for p in "${PORTS[@]}"; do curl -s "http://127.0.0.1:$p/stats" | sed -E 's/.*"messages":([0-9]+).*/\1/'; echo; done | tr '\n' ' '; }
wrkrun() { # url body seconds [connections]; CONTENT_TYPE, CONTENT_ENCODING, DELAY_MS from the environment -> RESULT line
  PACKET="$2" timeout $(($3 + 30)) wrk -t2 -c"${4:-$CONNS}" -d"${3}s" --latency -s bench/post.lua "$1" | grep '^RESULT'
}
drained() { # distributor-port: waits (at most 60 s) until no chunk waits for an analyzer there
  local i; for i in $(seq 120); do
    curl -s "http://127.0.0.1:$1/analyzers" | grep -q '"queued":[1-9]' || return 0; sleep 0.5; done; }
ROWS="$RUN/rows.tsv"; : >"$ROWS"   # row system round rps mpp p99 cpu-cores
measure() { # row system round label url pids body messages-per-packet [connections]; stub rows count no messages
  local row="$1" sys="$2" round="$3" label="$4" url="$5" pids="$6" body="$7" mpp="$8" conns="${9:-}" before after t0 t1 a0 a1 res
  local stub=0; case "$url" in *:19091/*|*:18480/*) stub=1 ;; esac
  [ "$stub" = 0 ] && for p in "${PORTS[@]}"; do curl -s -XPOST "http://127.0.0.1:$p/admin/reset" >/dev/null; done
  before=($( [ "$stub" = 0 ] && counts || echo 0 0 0 0)); t0=$(ticks $pids); a0=$(ticks "${APIDS[@]}")
  res=$(wrkrun "$url" "$body" "$DUR" "$conns") || res="RESULT requests=0 rps=0 p50_ms=0 p99_ms=0 non2xx=0 errors=1"
  sleep 1   # let the last deliveries land before counting (queues drain in well under a second)
  case "$url" in *:18180/*) drained 18180 ;; esac
  after=($( [ "$stub" = 0 ] && counts || echo 0 0 0 0)); t1=$(ticks $pids); a1=$(ticks "${APIDS[@]}")
  awk -v label="$label" -v res="$res" -v b="${before[*]}" -v a="${after[*]}" -v mpp="$mpp" -v tp=$((t1 - t0)) -v ta=$((a1 - a0)) \
      -v tck="$(getconf CLK_TCK)" -v dur="$DUR" -v stub="$stub" -v rows="$ROWS" -v row="$row" -v sys="$sys" -v round="$round" 'BEGIN {
    n = split(res, kv, " "); for (i = 2; i <= n; i++) { split(kv[i], x, "="); R[x[1]] = x[2] }
    split(b, B, " "); split(a, A, " "); tot = 0
    for (i = 1; i <= 4; i++) { d[i] = A[i] - B[i]; tot += d[i] }
    split_s = ""; for (i = 1; i <= 4; i++) split_s = split_s (i > 1 ? "/" : "") sprintf("%.1f", tot ? 100 * d[i] / tot : 0)
    sent = R["requests"] * mpp; lost = sent - R["non2xx"] * mpp - tot; if (lost < 0) lost = 0
    if (stub) { split_s = "n/a"; lost = "n/a" }
    printf "| %s | %d | %d | %d | %.1f | %.1f | %d | %s | %s | %.2f | %.2f |\n", label, mpp, R["rps"], R["rps"] * mpp,
      R["p50_ms"], R["p99_ms"], R["non2xx"] + R["errors"], split_s, lost, tp / tck / dur, stub ? 0 : ta / tck / dur
    printf "%s\t%s\t%s\t%d\t%d\t%.2f\t%.3f\t%d\n", row, sys, round, R["rps"], mpp, R["p99_ms"], tp / tck / dur, R["non2xx"] + R["errors"] >> rows }'
}

OUT="$RUN/table.md"
{
  echo "bench/run.sh on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB;"
  echo "wrk -t2 -c$CONNS, ${DUR} s per row after warm-ups (${WARM} s each), $ROUNDS rounds; four bin/analyzer sinks, weights 4/3/1/2."
  echo
  echo "| system | msgs/packet | req/s | msgs/s | p50 ms | p99 ms | non-2xx + errors | split % a1/a2/a3/a4 (40/30/10/20) | lost msgs* | CPU proxy | CPU analyzers |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
} >"$OUT"
url_of() { echo "http://127.0.0.1:$(mode_port "$1")${2:-/logs}"; }
pids_of() { if [ "$1" = kafka ]; then echo "${DPID[kafka]} $BROKER_PID"; else echo "${DPID[$1]}"; fi; }
log "warming up each distributor for ${WARM} s (the JIT needs about a minute in all), nginx for $((WARM / 2)) s"
for s in "${SYSTEMS[@]}"; do wrkrun "$(url_of "$s")" "$(packet 10)" "$WARM" >/dev/null || true; done
[ "$KAFKA" = 1 ] && drained 18180
wrkrun http://127.0.0.1:19090/logs "$(packet 10)" "$((WARM / 2))" >/dev/null || true
[ "$STUB_ROW" = 1 ] && { wrkrun http://127.0.0.1:19091/logs "$(packet 10)" "$((WARM / 4))" >/dev/null || true; }
for name in "${ROW_NAMES[@]}"; do
  CONTENT_TYPE="${ROW_TYPE[$name]}" CONTENT_ENCODING="${ROW_ENC[$name]}" wrkrun "$(url_of write "${ROW_PATH[$name]}")" "${ROW_BODY[$name]}" "$((WARM / 4))" >/dev/null || true
done

pair() { # row round label-suffix body mpp nginx-url [system...]: nginx, then each distributor system, one after the other
  local row="$1" round="$2" tag="$3" body="$4" mpp="$5" nurl="$6" s; shift 6
  log "$row: nginx$tag"
  measure "$row" nginx "$round" "nginx$tag" "$nurl" "$NGINX_PID $([ "$row" = stub ] && echo "$STUBS_PID")" "$body" "$mpp" | tee -a "$OUT" >&2
  for s in "$@"; do
    local path=/logs label="distributor"; [ "$s" != write ] && [ "$s" != stub ] && label="distributor, $s"
    case "$row" in row:*) path="${ROW_PATH[${row#row:}]}" ;; esac
    if [ "$PROFILE" = 1 ] && [ "$s" = write ] && [ "$row" = "size 10" ] && [ "$round" = 1 ]; then
      jcmd "${DPID[write]}" JFR.start name=bench duration="${DUR}s" filename="$RUN/distributor.jfr" settings=profile >/dev/null
    fi
    log "$row: $label$tag"
    measure "$row" "$s" "$round" "$label$tag" "$(url_of "$s" "$path")" "$(pids_of "$s")" "$body" "$mpp" | tee -a "$OUT" >&2
  done
}
for ((round = 1; round <= ROUNDS; round++)); do
  tag=" #$round"
  for size in "${SIZE_LIST[@]}"; do
    systems=(write); [ "$size" = 10 ] && systems+=("${EXTRA[@]}" $([ "$KAFKA" = 1 ] && echo kafka || true))
    pair "size $size" "$round" "$tag" "$(packet "$size")" "$size" http://127.0.0.1:19090/logs "${systems[@]}"
  done
  if [ "$GZIP_ROW" = 1 ]; then
    CONTENT_ENCODING=gzip pair gzip "$round" " gzip$tag" "$RUN/packet10.json.gz" 10 http://127.0.0.1:19090/logs write
  fi
  [ "$STUB_ROW" = 1 ] && pair stub "$round" " to stubs$tag" "$(packet 10)" 10 http://127.0.0.1:19091/logs stub
  for name in "${ROW_NAMES[@]}"; do
    CONTENT_TYPE="${ROW_TYPE[$name]}" CONTENT_ENCODING="${ROW_ENC[$name]}" \
      pair "row:$name" "$round" " $name$tag" "${ROW_BODY[$name]}" "${ROW_MSGS[$name]}" "http://127.0.0.1:19090${ROW_PATH[$name]}" write
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max_rps() { awk -v r="$1" -v s="$2" -F'\t' '$1 == r && $2 == s && $4 > m { m = $4 } END { print m + 0 }' "$ROWS"; }
for s in write "${EXTRA[@]}"; do
  max=$(max_rps "size 10" "$s"); [ "$max" -gt 0 ] || continue
  # each connection sends, waits for the answer, then pauses 10 ms: about 100 requests/s per connection
  paced=$(( max * 7 / 10 / 100 )); [ "$paced" -lt 2 ] && paced=2
  label="distributor"; [ "$s" != write ] && label="distributor, $s"
  log "$label paced at about 70 % of its own 10-message rate ($paced connections x 10 ms pauses)"
  DELAY_MS=10 measure paced "$s" 1 "$label @70%" "$(url_of "$s")" "${DPID[$s]}" "$(packet 10)" 10 "$paced" | tee -a "$OUT" >&2
done
HEAP_MIB=""
if [ "$MEMCHECK" = 1 ]; then
  # a minute at full rate with a3 down: its chunks wait in the journal; the heap is sampled every 2 s (old generation
  # and survivors, what outlives a young collection: eden is garbage by the next one), then after a full collection.
  # A full collection first: the old generation still holds what the rows before promoted and no collection has
  # reclaimed yet (the parallel collector empties it only when it is full), which is not in use in this minute.
  log "memory check: a3 down for $MEMSECS s under full load on the default distributor"
  jcmd "${DPID[write]}" GC.run >/dev/null 2>&1 || true
  kill "${APIDS[2]}"; wait "${APIDS[2]}" 2>/dev/null || true
  PACKET="$(packet 10)" timeout $((MEMSECS + 30)) wrk -t2 -c"$CONNS" -d"${MEMSECS}s" -s bench/post.lua "$(url_of write)" >"$RUN/memcheck.wrk" 2>&1 &
  MW=$!; : >"$RUN/heap.txt"
  for _ in $(seq $((MEMSECS / 2))); do jstat -gc "${DPID[write]}" 2>/dev/null | awk 'NR == 2 { printf "%.1f\n", ($3 + $4 + $8) / 1024 }' >>"$RUN/heap.txt"; sleep 2; done
  wait "$MW" || true
  HEAP_MIB=$(sort -n "$RUN/heap.txt" | tail -1)
  jcmd "${DPID[write]}" GC.run >/dev/null 2>&1 || true
  AFTER_GC=$(jstat -gc "${DPID[write]}" 2>/dev/null | awk 'NR == 2 { printf "%.1f", ($3 + $4 + $8) / 1024 }')
  QUEUED=$(curl -s "$(url_of write /analyzers)" | tr -d '\n' | grep -o '"name":"a3"[^}]*' | head -c 400)
  start_analyzer 2; wait_http "http://127.0.0.1:${PORTS[2]}/stats"
fi
{
  echo
  echo "\* accepted (2xx) messages minus those the analyzers counted, floored at 0: wrk does not count the requests still"
  echo "in flight when it stops, which the analyzers do count, so a loss smaller than connections x messages per packet"
  echo "would not show here; the end-to-end tests check exact delivery. CPU in cores over the row's run (the stub rows'"
  echo "nginx CPU counts the stubs too; the Kafka row's counts the broker)."
  echo
  echo "Ratios, median of the rounds (then each round):"
  echo
} >>"$OUT"
ratios() { # row system base-row base-system: per round system's rps over base's -> "r1 r2 r3"
  awk -F'\t' -v r="$1" -v s="$2" -v br="$3" -v bs="$4" '$1 == r && $2 == s { x[$3] = $4 } $1 == br && $2 == bs { y[$3] = $4 }
    END { for (k = 1; k <= 1000; k++) if ((k in x) && (k in y) && y[k] > 0) printf "%.2f ", x[k] / y[k] }' "$ROWS"; }
RATIO_LINES=(); declare -A MED
ratio() { # key description row system base-row base-system
  local rs med; rs=$(ratios "$3" "$4" "$5" "$6"); med=$({ tr ' ' '\n' <<<"$rs" | grep . || true; } | median)
  MED[$1]="$med"; if [ -n "$med" ]; then printf -- '- %s: **%.2f** (%s)\n' "$2" "$med" "${rs% }" >>"$OUT"; fi
}
for size in "${SIZE_LIST[@]}"; do ratio "size$size" "distributor / nginx, $size messages per packet" "size $size" write "size $size" nginx; done
for m in "${EXTRA[@]}"; do ratio "$m/nginx" "$m durability / nginx, 10 messages per packet" "size 10" "$m" "size 10" nginx; done
for m in "${EXTRA[@]}"; do ratio "$m/write" "$m / write (default durability), 10 messages per packet" "size 10" "$m" "size 10" write; done
ratio "write/memory" "write / memory, 10 messages per packet" "size 10" write "size 10" memory
[ "$KAFKA" = 1 ] && ratio kafka "Kafka buffer / spool (write), 10 messages per packet" "size 10" kafka "size 10" write
[ "$GZIP_ROW" = 1 ] && ratio gzip "distributor / nginx, gzip bodies of 10 messages" gzip write gzip nginx
[ "$STUB_ROW" = 1 ] && ratio stub "distributor / nginx, both to stub analyzers, 10 messages per packet" stub stub stub nginx
for name in "${ROW_NAMES[@]}"; do ratio "row:$name" "distributor / nginx, $name (${ROW_PATH[$name]})" "row:$name" write "row:$name" nginx; done
cpu_per_msg() { # size -> median over rounds of the default distributor's CPU microseconds per message
  awk -F'\t' -v r="size $1" '$1 == r && $2 == "write" && $4 > 0 { printf "%.3f\n", $7 * 1e6 / ($4 * $5) }' "$ROWS" | median; }
cpu_per_msg_row() { # row -> median over rounds of the default distributor's CPU microseconds per message in that row
  awk -F'\t' -v r="$1" '$1 == r && $2 == "write" && $4 > 0 { printf "%.3f\n", $7 * 1e6 / ($4 * $5) }' "$ROWS" | median; }
paced_p99() { awk -F'\t' -v s="$1" '$1 == "paced" && $2 == s { print $6 }' "$ROWS"; }

# the goals (docs/performance.md): name, measured, comparison, target
MISSED=0; SUMMARY="$RUN/summary.md"; : >"$SUMMARY"
goal() { # description value op target unit
  local verdict
  if [ -z "$2" ]; then verdict=SKIP
  elif awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN { exit !((op == ">=" && v >= t) || (op == "<=" && v <= t) || (op == "<" && v < t)) }'; then verdict=PASS
  else verdict=MISS; MISSED=$((MISSED + 1)); fi
  printf -- '- %-4s %s: %s (goal %s %s%s)\n' "$verdict" "$1" "${2:-not measured}${2:+$5}" "$3" "$4" "$5" >>"$SUMMARY"
}
goal "stub analyzers, distributor / nginx msgs/s at 10 messages" "${MED[stub]:-}" ">=" 1.0 x
for size in "${SIZE_LIST[@]}"; do
  case "$size" in 1|10|100) goal "distributor / nginx msgs/s, $size-message packets" "${MED[size$size]:-}" ">=" 1.0 x ;;
    1000) goal "distributor / nginx msgs/s, 1000-message packets" "${MED[size1000]:-}" ">=" 0.8 x ;; esac
done
CPU100=$(cpu_per_msg 100); CPU1000=$(cpu_per_msg 1000)
goal "CPU per message at 1000 messages (at 100: ${CPU100:-?} us)" "$([ -n "$CPU100" ] && echo "$CPU1000")" "<=" "${CPU100:-0}" " us"
goal "gzip bodies, distributor / nginx" "${MED[gzip]:-}" ">=" 0.8 x
goal "Kafka buffer / spool at 10 messages" "${MED[kafka]:-}" ">=" 0.5 x
goal "p99 at 70 % of the distributor's own max rate" "$(paced_p99 write)" "<=" 10 " ms"
CPU10=$(cpu_per_msg 10)
for name in "${PROTOCOLS[@]}"; do
  cpu=$(cpu_per_msg_row "row:$name")
  goal "$name: CPU per message over native 10-message packets' (${CPU10:-?} us; $name ${cpu:-?} us)" \
    "$([ -n "$CPU10" ] && [ -n "$cpu" ] && awk -v a="$cpu" -v b="$CPU10" 'BEGIN { printf "%.2f", a / b }')" "<=" 1.5 x
done
goal "heap in use, full rate with one analyzer down for $MEMSECS s" "$HEAP_MIB" "<" 256 " MiB"
goal "journal: write / memory at 10 messages" "${MED[write/memory]:-}" ">=" 0.9 x
goal "journal: fsync / write at 10 messages" "${MED[fsync/write]:-}" ">=" 0.7 x
goal "journal: fsync p99 at 70 % of its own max rate" "$(paced_p99 fsync)" "<=" 5 " ms"
{
  echo
  echo "Goals (PASS, MISS, or SKIP when this run did not measure it):"
  echo
  cat "$SUMMARY"
  [ -n "$HEAP_MIB" ] && { echo; echo "Memory check: old generation + survivors at most $HEAP_MIB MiB over the $MEMSECS s, $AFTER_GC MiB after a full GC; a3 in /analyzers at the end: \`$QUEUED\`"; }
  echo
  echo "Run took $(( ($(date +%s) - STARTED) / 60 )) min $(( ($(date +%s) - STARTED) % 60 )) s."
} >>"$OUT"
cp "$OUT" bench/RESULTS.md
cat "$OUT"
if [ "$PROFILE" = 1 ] && [ -s "$RUN/distributor.jfr" ]; then
  jfr print --events jdk.ExecutionSample --stack-depth 200 "$RUN/distributor.jfr" >"$RUN/samples.txt"
  python3 bench/jfr-phases.py "$RUN/samples.txt" | tee "$RUN/profile.txt"
fi
log "logs in $RUN"
[ "$MISSED" -eq 0 ] || { log "$MISSED goal(s) missed"; exit 1; }
