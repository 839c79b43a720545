#!/usr/bin/env bash
# The distributor against an nginx weighted upstream (weights 4/3/1/2), same machine, same analyzers, same wrk load.
# Installs wrk and nginx (Debian) when missing, builds the jar when missing, starts four bin/analyzer sinks on
# 127.0.0.1:19101..19104, measures nginx and then the distributor (after a JIT warm-up) with wrk, and prints a table
# of requests/s, messages/s, p50/p99, the analyzers' split of messages, lost messages and CPU per process; also
# written to bench/RESULTS.md; then a paced run at about 70 % of the distributor's 10-message rate, for latency.
# --profile records the distributor's 10-message row with JFR and prints where its CPU goes (bench/jfr-phases.py).
# Everything runs on loopback, bounded in time, and is stopped by PID.
# --repeat N measures each size N times, nginx and the distributor in turn, and prints the median of the N ratios:
# one 20 s row varies by about 10 % on a shared 2-core machine, the ratio of two rows taken in turn much less.
# --kafka also starts a Kafka broker (kafka/broker.sh) and a second distributor with DISTRIBUTOR_BUFFER=kafka, and
# measures it once per size after the rounds: the cost of the Kafka buffer next to the spool, in the same run (its CPU
# column counts the broker too).
# --modes write,memory,fsync also starts a distributor per extra durability (DISTRIBUTOR_DURABILITY) and measures
# each in every round beside the default (write) one, with its own ratio to nginx, and a paced row at 70 % of its own
# 10-message rate for its latency.
# Usage: bench/run.sh [--duration S (20)] [--warmup S (60)] [--sizes 10 | 1,10,100,1000] [--repeat N (3)] [--conns 64]
#                     [--modes write[,memory][,fsync]] [--kafka] [--profile]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DUR=20; WARM=60; SIZES=10; REPEAT=3; CONNS=64; PROFILE=0; KAFKA=0; MODES=write
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DUR="$2"; shift 2 ;; --warmup) WARM="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;; --repeat) REPEAT="$2"; shift 2 ;; --conns) CONNS="$2"; shift 2 ;; --profile) PROFILE=1; shift ;;
    --kafka) KAFKA=1; shift ;; --modes) MODES="$2"; shift 2 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; break; }
done
[ -f distributor/target/log-distributor.jar ] && [ -f analyzers/target/log-analyzer.jar ] || ./mvnw -B -q -DskipTests package

RUN="$(mktemp -d -t logdist-bench.XXXXXX)"; PIDS=()
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
stop_all() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ "$KAFKA" = 1 ]; then KAFKA_DATA_DIR="$RUN/kafka" kafka/broker.sh stop >/dev/null 2>&1 || true; fi; }
trap stop_all EXIT; trap 'exit 130' INT TERM
wait_http() { for _ in $(seq 300); do curl -sf -o /dev/null --max-time 1 "$1" && return 0; sleep 0.2; done; log "no answer from $1"; return 1; }
IFS=',' read -r -a EXTRA_MODES <<<"${MODES//write/}"; EXTRA=(); for m in "${EXTRA_MODES[@]}"; do [ -n "$m" ] && EXTRA+=("$m"); done
for m in "${EXTRA[@]}"; do case "$m" in memory|fsync) ;; *) echo "bench: --modes takes write, memory, fsync" >&2; exit 2 ;; esac; done
mode_port() { case "$1" in memory) echo 18280 ;; fsync) echo 18380 ;; esac; }
for p in 18080 18081 19090 19101 19102 19103 19104 $([ "$KAFKA" = 1 ] && echo 18180 18181 19392 19393) \
    $(for m in "${EXTRA[@]}"; do echo "$(mode_port "$m")" $(($(mode_port "$m") + 1)); done); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then log "port $p is in use; stop what runs there first"; exit 1; fi
done

PORTS=(19101 19102 19103 19104); NAMES=(a1 a2 a3 a4); WEIGHTS=(4 3 1 2)
for i in 0 1 2 3; do
  ANALYZER_PORT="${PORTS[$i]}" ANALYZER_NAME="${NAMES[$i]}" ANALYZER_HOST=127.0.0.1 bin/analyzer >"$RUN/analyzer-$i.log" 2>&1 &
  PIDS+=("$!"); APIDS[$i]=$!
done
for p in "${PORTS[@]}"; do wait_http "http://127.0.0.1:$p/stats"; done

sed "s#@RUN@#$RUN#g" > "$RUN/nginx.conf" <<'NGINX'
worker_processes auto; daemon off; pid @RUN@/nginx.pid; error_log @RUN@/nginx.err error;
events { worker_connections 16384; multi_accept on; }
http {
  access_log off; keepalive_requests 10000000; client_max_body_size 10m; client_body_buffer_size 1m;
  client_body_temp_path @RUN@/b; proxy_temp_path @RUN@/p; fastcgi_temp_path @RUN@/f; uwsgi_temp_path @RUN@/u; scgi_temp_path @RUN@/s;
  upstream analyzers {
    server 127.0.0.1:19101 weight=4; server 127.0.0.1:19102 weight=3; server 127.0.0.1:19103 weight=1; server 127.0.0.1:19104 weight=2;
    keepalive 64;
  }
  server { listen 127.0.0.1:19090 backlog=4096;
    location = /logs { proxy_pass http://analyzers; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
nginx -p "$RUN" -c "$RUN/nginx.conf" >"$RUN/nginx.log" 2>&1 &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
DISTRIBUTOR_PORT=18080 DISTRIBUTOR_MANAGEMENT_PORT=18081 DISTRIBUTOR_HOST=127.0.0.1 DISTRIBUTOR_DATA_DIR="$RUN/data" \
  DISTRIBUTOR_ANALYZERS="a1@4=http://127.0.0.1:19101/logs,a2@3=http://127.0.0.1:19102/logs,a3@1=http://127.0.0.1:19103/logs,a4@2=http://127.0.0.1:19104/logs" \
  bin/distributor >"$RUN/distributor.log" 2>&1 &
DIST_PID=$!; PIDS+=("$DIST_PID")
wait_http http://127.0.0.1:18080/health
declare -A MODE_PID
for m in "${EXTRA[@]}"; do
  mp=$(mode_port "$m")
  DISTRIBUTOR_PORT=$mp DISTRIBUTOR_MANAGEMENT_PORT=$((mp + 1)) DISTRIBUTOR_HOST=127.0.0.1 DISTRIBUTOR_DATA_DIR="$RUN/data-$m" \
    DISTRIBUTOR_DURABILITY=$m \
    DISTRIBUTOR_ANALYZERS="a1@4=http://127.0.0.1:19101/logs,a2@3=http://127.0.0.1:19102/logs,a3@1=http://127.0.0.1:19103/logs,a4@2=http://127.0.0.1:19104/logs" \
    bin/distributor >"$RUN/distributor-$m.log" 2>&1 &
  MODE_PID[$m]=$!; PIDS+=("$!")
  wait_http "http://127.0.0.1:$mp/health"
done
if [ "$KAFKA" = 1 ]; then
  KAFKA_PORT=19392 KAFKA_CONTROLLER_PORT=19393 KAFKA_DATA_DIR="$RUN/kafka" kafka/broker.sh start >&2
  BROKER_PID=$(cat "$RUN/kafka/broker.pid")
  DISTRIBUTOR_PORT=18180 DISTRIBUTOR_MANAGEMENT_PORT=18181 DISTRIBUTOR_HOST=127.0.0.1 DISTRIBUTOR_DATA_DIR="$RUN/data-kafka" \
    DISTRIBUTOR_BUFFER=kafka DISTRIBUTOR_KAFKA_BOOTSTRAP=127.0.0.1:19392 \
    DISTRIBUTOR_ANALYZERS="a1@4=http://127.0.0.1:19101/logs,a2@3=http://127.0.0.1:19102/logs,a3@1=http://127.0.0.1:19103/logs,a4@2=http://127.0.0.1:19104/logs" \
    bin/distributor >"$RUN/distributor-kafka.log" 2>&1 &
  KAFKA_DIST_PID=$!; PIDS+=("$KAFKA_DIST_PID")
  wait_http http://127.0.0.1:18180/health
fi

packet() { # messages -> file: a packet of that many messages (no packetId, so that none is a duplicate)
  local n="$1" f="$RUN/packet$1.json" i
  { printf '{"agentId":"bench","messages":['
    for ((i = 0; i < n; i++)); do
      [ "$i" -gt 0 ] && printf ','
      printf '{"timestamp":"2026-11-25T12:00:%02d.%03dZ","level":"INFO","source":"node-%d","service":"checkout","message":"GET /api/cart/%d served status=200 duration_ms=%d user=u-%d"}' $((i % 60)) $((i % 1000)) $((i % 4)) "$i" $((i % 97)) $((i * 7))
    done
    printf ']}'; } >"$f"
  echo "$f"
}
ticks() { local t=0 p; for p in "$@"; do for c in "$p" $(ps -o pid= --ppid "$p" 2>/dev/null); do
  [ -r "/proc/$c/stat" ] && t=$((t + $(sed 's/.*) //' "/proc/$c/stat" | awk '{print $12 + $13}'))); done; done; echo "$t"; }
counts() { local p; for p in "${PORTS[@]}"; do curl -s "http://127.0.0.1:$p/stats" | sed -E 's/.*"messages":([0-9]+).*/\1/'; echo; done | tr '\n' ' '; }
wrkrun() { # url packet seconds [connections] -> RESULT line
  PACKET="$2" timeout $(($3 + 30)) wrk -t2 -c"${4:-$CONNS}" -d"${3}s" --latency -s bench/post.lua "$1" | grep '^RESULT'
}
drained() { # distributor-port: waits (at most 60 s) until no chunk waits for an analyzer there
  local i; for i in $(seq 120); do
    curl -s "http://127.0.0.1:$1/analyzers" | grep -q '"queued":[1-9]' || return 0; sleep 0.5; done; }
measure() { # label url proxy-pids packet messages-per-packet [connections]
  local before after t0 t1 a0 a1 res
  for p in "${PORTS[@]}"; do curl -s -XPOST "http://127.0.0.1:$p/admin/reset" >/dev/null; done
  before=($(counts)); t0=$(ticks $3); a0=$(ticks "${APIDS[@]}")
  res=$(wrkrun "$2" "$4" "$DUR" "${6:-}")
  echo "$res" >"$RUN/last-result"
  sleep 2   # let the last deliveries land before counting (bounded: queues drain in well under a second)
  case "$2" in *:18180/*) drained 18180 ;; esac
  after=($(counts)); t1=$(ticks $3); a1=$(ticks "${APIDS[@]}")
  awk -v label="$1" -v res="$res" -v b="${before[*]}" -v a="${after[*]}" -v mpp="$5" -v tp=$((t1 - t0)) -v ta=$((a1 - a0)) \
      -v tck="$(getconf CLK_TCK)" -v dur="$DUR" 'BEGIN {
    n = split(res, kv, " "); for (i = 2; i <= n; i++) { split(kv[i], x, "="); R[x[1]] = x[2] }
    split(b, B, " "); split(a, A, " "); tot = 0
    for (i = 1; i <= 4; i++) { d[i] = A[i] - B[i]; tot += d[i] }
    split_s = ""; for (i = 1; i <= 4; i++) split_s = split_s (i > 1 ? "/" : "") sprintf("%.1f", tot ? 100 * d[i] / tot : 0)
    sent = R["requests"] * mpp; lost = sent - R["non2xx"] * mpp - tot; if (lost < 0) lost = 0
    printf "| %s | %d | %d | %d | %.1f | %.1f | %d | %s | %d | %.2f | %.2f |\n", label, mpp, R["rps"], R["rps"] * mpp,
      R["p50_ms"], R["p99_ms"], R["non2xx"] + R["errors"], split_s, lost, tp / tck / dur, ta / tck / dur }'
}

OUT="$RUN/table.md"
{
  echo "bench/run.sh on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB;"
  echo "wrk -t2 -c$CONNS, ${DUR} s per row after warm-ups (distributor ${WARM} s, nginx $((WARM / 2)) s); four bin/analyzer sinks, weights 4/3/1/2."
  echo
  echo "| system | msgs/packet | req/s | msgs/s | p50 ms | p99 ms | non-2xx + errors | split % a1/a2/a3/a4 (40/30/10/20) | lost msgs* | CPU proxy | CPU analyzers |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
} >"$OUT"
IFS=',' read -r -a SIZE_LIST <<<"$SIZES"
log "warming up the distributor for ${WARM} s, then nginx and the analyzers behind it for $((WARM / 2)) s"
wrkrun http://127.0.0.1:18080/logs "$(packet 10)" "$WARM" >/dev/null || true
wrkrun http://127.0.0.1:19090/logs "$(packet 10)" "$((WARM / 2))" >/dev/null || true
for m in "${EXTRA[@]}"; do
  log "warming up the distributor with durability $m for $((WARM / 2)) s"
  wrkrun "http://127.0.0.1:$(mode_port "$m")/logs" "$(packet 10)" "$((WARM / 2))" >/dev/null || true
done
if [ "$KAFKA" = 1 ]; then
  log "warming up the distributor with the Kafka buffer for $((WARM / 2)) s"
  wrkrun http://127.0.0.1:18180/logs "$(packet 10)" "$((WARM / 2))" >/dev/null || true
  drained 18180
fi
MAX10=0; declare -A MODE_MAX10
RATIOS="$RUN/ratios"; : >"$RATIOS"
for size in "${SIZE_LIST[@]}"; do
  f=$(packet "$size")
  for ((round = 1; round <= REPEAT; round++)); do
    tag=""; [ "$REPEAT" -gt 1 ] && tag=" #$round"
    log "nginx$tag, $size messages per packet"
    measure "nginx$tag" http://127.0.0.1:19090/logs "$NGINX_PID" "$f" "$size" | tee -a "$OUT" >&2
    nginx_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' "$RUN/last-result")
    if [ "$PROFILE" = 1 ] && [ "$size" = 10 ] && [ "$round" = 1 ]; then
      jcmd "$DIST_PID" JFR.start name=bench duration="${DUR}s" filename="$RUN/distributor.jfr" settings=profile >/dev/null
    fi
    log "distributor$tag, $size messages per packet"
    measure "distributor$tag" http://127.0.0.1:18080/logs "$DIST_PID" "$f" "$size" | tee -a "$OUT" >&2
    dist_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' "$RUN/last-result")
    echo "$size $dist_rps $nginx_rps write" >>"$RATIOS"
    if [ "$size" = 10 ] && [ "$dist_rps" -gt "$MAX10" ]; then MAX10=$dist_rps; fi
    for m in "${EXTRA[@]}"; do
      log "distributor, durability $m$tag, $size messages per packet"
      measure "distributor, $m$tag" "http://127.0.0.1:$(mode_port "$m")/logs" "${MODE_PID[$m]}" "$f" "$size" | tee -a "$OUT" >&2
      m_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' "$RUN/last-result")
      echo "$size $m_rps $nginx_rps $m" >>"$RATIOS"
      if [ "$size" = 10 ] && [ "$m_rps" -gt "${MODE_MAX10[$m]:-0}" ]; then MODE_MAX10[$m]=$m_rps; fi
    done
  done
  if [ "$KAFKA" = 1 ]; then
    log "distributor with the Kafka buffer, $size messages per packet"
    measure "distributor, kafka buffer" http://127.0.0.1:18180/logs "$KAFKA_DIST_PID $BROKER_PID" "$f" "$size" | tee -a "$OUT" >&2
  fi
done
if [ "$MAX10" -gt 0 ]; then
  # each connection sends, waits for the answer, then pauses 10 ms: about 100 requests/s per connection
  PACED=$(( MAX10 * 7 / 10 / 100 )); [ "$PACED" -lt 2 ] && PACED=2
  log "distributor paced at about 70 % of its 10-message rate ($PACED connections x 10 ms pauses)"
  DELAY_MS=10 measure "distributor @70%" http://127.0.0.1:18080/logs "$DIST_PID" "$(packet 10)" 10 "$PACED" | tee -a "$OUT" >&2
fi
for m in "${EXTRA[@]}"; do
  [ "${MODE_MAX10[$m]:-0}" -gt 0 ] || continue
  PACED=$(( ${MODE_MAX10[$m]} * 7 / 10 / 100 )); [ "$PACED" -lt 2 ] && PACED=2
  log "distributor, durability $m, paced at about 70 % of its own 10-message rate ($PACED connections)"
  DELAY_MS=10 measure "distributor, $m @70%" "http://127.0.0.1:$(mode_port "$m")/logs" "${MODE_PID[$m]}" "$(packet 10)" 10 "$PACED" \
    | tee -a "$OUT" >&2
done
{
  echo
  echo "\* accepted (2xx) messages minus those the analyzers counted, floored at 0: wrk does not count the requests still"
  echo "in flight when it stops, which the analyzers do count, so a loss smaller than connections x messages per packet"
  echo "would not show here; the end-to-end tests check exact delivery. CPU in cores over the row's run."
  echo
  echo "Distributor's requests/s over nginx's, rows taken in turn (median of the rounds, then each round):"
  echo
  for m in write "${EXTRA[@]}"; do
    for size in "${SIZE_LIST[@]}"; do
      rounds=$(awk -v s="$size" -v m="$m" '$1 == s && $4 == m { printf "%.2f ", $3 ? $2 / $3 : 0 }' "$RATIOS")
      median=$(tr ' ' '\n' <<<"$rounds" | grep . | sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
      printf -- '- durability %s, %s messages per packet: **%.2fx** (%s)\n' "$m" "$size" "$median" "${rounds% }"
    done
  done
  if [ "${#EXTRA[@]}" -gt 0 ]; then
    echo
    echo "Each durability's requests/s over the default (write) one's, same rounds:"
    echo
    for m in "${EXTRA[@]}"; do
      for size in "${SIZE_LIST[@]}"; do
        r=$(awk -v s="$size" -v m="$m" '$1 == s && $4 == "write" { w[++i] = $2 } $1 == s && $4 == m { x[++j] = $2 }
          END { for (k = 1; k <= j; k++) printf "%.2f ", w[k] ? x[k] / w[k] : 0 }' "$RATIOS")
        med=$(tr ' ' '\n' <<<"$r" | grep . | sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
        printf -- '- %s / write, %s messages per packet: **%.2f** (%s)\n' "$m" "$size" "$med" "${r% }"
      done
    done
  fi
} >>"$OUT"
cp "$OUT" bench/RESULTS.md
cat "$OUT"
if [ "$PROFILE" = 1 ] && [ -s "$RUN/distributor.jfr" ]; then
  jfr print --events jdk.ExecutionSample --stack-depth 200 "$RUN/distributor.jfr" >"$RUN/samples.txt"
  python3 bench/jfr-phases.py "$RUN/samples.txt" | tee "$RUN/profile.txt"
fi
log "logs in $RUN"
