#!/usr/bin/env bash
# The demo, on loopback only: builds, starts four analyzers (127.0.0.1:9101..9104, weights 0.4/0.3/0.1/0.2) and the
# distributor (127.0.0.1:8080), drives load with the JMeter plan jmeter/logs-load.jmx (8 simulated agents; JMeter 5.6.3
# is fetched from Maven Central by jmeter/pom.xml on the first run), kills analyzer a3 for a while and brings it back,
# drains, prints a report, stops everything it started (also on Ctrl-C), and ends with one line:
#   demo: PASS messages=N lost=0 duplicates=N throughput=N msgs/s        (or demo: FAIL ...)
# Loss is judged by ids: every packet JMeter got a 202 for (agentId, packetId) must be in an analyzer's journal.
# Options: --duration S (load time, default 120) --rate PACKETS_PER_S (default 1000; 0 = as fast as possible)
#          --policy hold|failover (default hold) --no-outage
#          --crash: a third into the run (before a3's outage) the distributor is killed with kill -9 and started again
#            at once on the same data dir; requests that fail at the connection level while it is down were never
#            acknowledged and are counted, not failed (spool buffer only).
#          --buffer kafka: the same story with the Kafka buffer: a single-node broker (kafka/broker.sh, 127.0.0.1:9092),
#            two distributor replicas (127.0.0.1:8082 and :8083) behind nginx on 127.0.0.1:8080 (installed from Debian
#            when missing), and replica 1 killed with kill -9 at a third of the run.
#          --brokers 3 (with --buffer kafka): the brokers are a three-node cluster (kafka/cluster.sh, free loopback ports,
#            topics with three copies and min.insync.replicas=2); a sixth into the run the broker leading most partitions
#            is killed with kill -9, and restarted on its data a twelfth of the run after the kill.
#          --compose: the same story in containers (docker compose or podman-compose), see deploy/compose-demo.sh;
#            with --crash the distributor container gets SIGKILL (compose kill) and is started again on its volume
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
for arg in "$@"; do [ "$arg" = --compose ] && exec deploy/compose-demo.sh "$@"; done
DURATION=120; RATE=1000; POLICY=hold; OUTAGE=1; BUFFER=spool; CRASH=0; BROKERS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --policy) POLICY="$2"; shift 2 ;;
    --no-outage) OUTAGE=0; shift ;;
    --buffer) BUFFER="$2"; shift 2 ;;
    --crash) CRASH=1; shift ;;
    --brokers) BROKERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "demo: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ ]] && [ "$DURATION" -ge 20 ] && [ "$DURATION" -le 600 ] || { echo "demo: --duration must be 20..600 seconds" >&2; exit 2; }
[[ "$RATE" =~ ^[0-9]+$ ]] || { echo "demo: --rate must be a whole number of packets per second" >&2; exit 2; }
[ "$BUFFER" = spool ] || [ "$BUFFER" = kafka ] || { echo "demo: --buffer must be spool or kafka" >&2; exit 2; }
[ "$BROKERS" = 1 ] || [ "$BROKERS" = 3 ] || { echo "demo: --brokers must be 1 or 3" >&2; exit 2; }
[ "$BROKERS" = 1 ] || [ "$BUFFER" = kafka ] || { echo "demo: --brokers 3 is for --buffer kafka" >&2; exit 2; }
[ "$CRASH" = 0 ] || [ "$BUFFER" = spool ] || { echo "demo: --crash is for the spool buffer; --buffer kafka kills replica 1 on its own" >&2; exit 2; }

OUT="$ROOT/demo-out"; RUN="$OUT/run"
rm -rf "$OUT"; mkdir -p "$RUN"
log() { printf '[demo %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

PIDS=()
stop_pid() { # pid: SIGTERM, wait up to 15 s, then SIGKILL
  local pid="$1"; kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  local pid; for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "$BUFFER" = kafka ] && [ "$BROKERS" = 1 ]; then KAFKA_DATA_DIR="$RUN/kafka" kafka/broker.sh stop >/dev/null 2>&1 || true; fi
  if [ "$BROKERS" = 3 ] && [ -f "$RUN/kafka-cluster/cluster.env" ]; then
    KAFKA_CLUSTER_DIR="$RUN/kafka-cluster" kafka/cluster.sh stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port seconds
  for _ in $(seq $(( $2 * 10 ))); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  log "nothing listens on port $1 after $2 s"; return 1
}
EXTRA_PORTS=(); [ "$BUFFER" = kafka ] && EXTRA_PORTS=(8082 8083 8182 8183)
[ "$BUFFER" = kafka ] && [ "$BROKERS" = 1 ] && EXTRA_PORTS+=(9092 9093)   # the cluster picks free ports of its own
for p in 8080 9101 9102 9103 9104 "${EXTRA_PORTS[@]}"; do port_free "$p" || { log "port $p is in use by another process; stop it first"; exit 1; }; done

log "building (./mvnw -B -q -DskipTests package)"
./mvnw -B -q -DskipTests package
jmeter_jar() { find "$ROOT/jmeter/target" -path '*/bin/ApacheJMeter-5.6.3.jar' 2>/dev/null | head -1; }
if [ -z "$(jmeter_jar)" ]; then
  log "fetching Apache JMeter 5.6.3 (jmeter-maven-plugin 3.7.0 configure; first run only)"
  ./mvnw -B -q -f jmeter/pom.xml jmeter:configure@configuration
fi
JMETER_JAR="$(jmeter_jar)"
[ -n "$JMETER_JAR" ] || { log "JMeter 5.6.3 not found under jmeter/target after configure"; exit 1; }
CP="$ROOT/demo-tools/target/log-distributor-demo-tools.jar"
JAVA_TOOL=(java -Xmx256m -XX:+UseSerialGC -cp "$CP")
JAVA_IDS=(java -Xmx1g -XX:+UseSerialGC -cp "$CP")   # drain and report hold every id of the run

NAMES=(a1 a2 a3 a4); PORTS=(9101 9102 9103 9104)
start_analyzer() { # index
  ANALYZER_PORT="${PORTS[$1]}" ANALYZER_NAME="${NAMES[$1]}" ANALYZER_HOST=127.0.0.1 ANALYZER_DATA_DIR="$RUN/analyzer-${NAMES[$1]}" \
    bin/analyzer >>"$RUN/analyzer-${NAMES[$1]}.log" 2>&1 &
  APID[$1]=$!; PIDS+=("$!")
}
declare -a APID
for i in 0 1 2 3; do start_analyzer "$i"; done
for i in 0 1 2 3; do wait_port "${PORTS[$i]}" 30; done
log "analyzers up: a1@0.4 a2@0.3 a3@0.1 a4@0.2 on 127.0.0.1:9101..9104"

ANALYZERS="a1@0.4=http://127.0.0.1:9101/logs,a2@0.3=http://127.0.0.1:9102/logs,a3@0.1=http://127.0.0.1:9103/logs,a4@0.2=http://127.0.0.1:9104/logs"
start_distributor() { # port management-port log [VAR=value ...]
  local port="$1" mport="$2" logf="$3"; shift 3
  env "$@" DISTRIBUTOR_PORT="$port" DISTRIBUTOR_MANAGEMENT_PORT="$mport" DISTRIBUTOR_HOST=127.0.0.1 \
    DISTRIBUTOR_ANALYZERS="$ANALYZERS" DISTRIBUTOR_OUTAGE_POLICY="$POLICY" bin/distributor >"$logf" 2>&1 &
  DPID=$!; PIDS+=("$DPID")
}
wait_health() { # port
  wait_port "$1" 60
  for _ in $(seq 100); do curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$1/health" && return 0; sleep 0.1; done
}
STATUS_URL=http://127.0.0.1:8080
if [ "$BUFFER" = kafka ]; then
  command -v nginx >/dev/null || { log "installing nginx (Debian) for the load balancer"; apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
  if [ "$BROKERS" = 3 ]; then
    export KAFKA_CLUSTER_DIR="$RUN/kafka-cluster"
    KAFKA_JAVA_OPTS="-Xmx256m -Xms256m" kafka/cluster.sh start
    BOOTSTRAP="$(kafka/cluster.sh bootstrap)"
  else
    KAFKA_PORT=9092 KAFKA_CONTROLLER_PORT=9093 KAFKA_DATA_DIR="$RUN/kafka" kafka/broker.sh start
    BOOTSTRAP=127.0.0.1:9092
  fi
  for r in 1 2; do
    start_distributor $((8081 + r)) $((8181 + r)) "$RUN/distributor-$r.log" DISTRIBUTOR_DATA_DIR="$RUN/data-$r" \
      DISTRIBUTOR_BUFFER=kafka DISTRIBUTOR_KAFKA_BOOTSTRAP="$BOOTSTRAP"
    REPLICA[$r]=$DPID
  done
  wait_health 8082; wait_health 8083
  # a POST that fails on a replica (it died) is sent again, same body and packetId, to the other one
  mkdir -p "$RUN/nginx"
  cat >"$RUN/nginx/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $RUN/nginx/nginx.pid; error_log $RUN/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off; client_max_body_size 16m; client_body_temp_path $RUN/nginx/b; proxy_temp_path $RUN/nginx/p;
  fastcgi_temp_path $RUN/nginx/f; uwsgi_temp_path $RUN/nginx/u; scgi_temp_path $RUN/nginx/s;
  upstream replicas { server 127.0.0.1:8082 max_fails=1 fail_timeout=5s; server 127.0.0.1:8083 max_fails=1 fail_timeout=5s; keepalive 32; }
  server { listen 127.0.0.1:8080;
    location / { proxy_pass http://replicas; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_next_upstream error timeout non_idempotent; proxy_next_upstream_tries 2; } }
}
NGINX
  nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" >"$RUN/nginx/nginx.log" 2>&1 &
  PIDS+=("$!")
  wait_port 8080 10
  # the watcher and the report read the replica that lives through the run
  STATUS_URL=http://127.0.0.1:8083
  log "Kafka on $BOOTSTRAP, replicas on 127.0.0.1:8082 and :8083 behind nginx on 127.0.0.1:8080 (policy $POLICY)"
else
  start_distributor 8080 8081 "$RUN/distributor.log" DISTRIBUTOR_DATA_DIR="$RUN/data"
  wait_health 8080
  log "distributor up on 127.0.0.1:8080 (policy $POLICY)"
fi
log "JMeter drives load for ${DURATION}s at ${RATE} packets/s from 8 agents"

START=$(date +%s)   # the watcher's t=0 and the outage times below share this origin
"${JAVA_TOOL[@]}" dev.logdist.demo.DemoStatus watch "$STATUS_URL" "$OUT/samples.csv" &
WATCH=$!; PIDS+=("$WATCH")
PER_MINUTE=$(( RATE > 0 ? RATE * 60 : 600000000 ))   # the plan's constant throughput timer counts per minute
java -Xmx256m -jar "$JMETER_JAR" -n -t jmeter/logs-load.jmx -q jmeter/load.properties -l "$OUT/jmeter-results.csv" \
  -j "$RUN/jmeter.log" -Jhost=127.0.0.1 -Jport=8080 -Jthreads=8 -Jduration="$DURATION" -Jrate="$PER_MINUTE" \
  >"$RUN/load.log" 2>&1 &
LOAD=$!; PIDS+=("$LOAD")

DOWN_AT=$(( DURATION / 2 )); UP_AT=$(( DOWN_AT + DURATION / 4 ))
if [ "$BROKERS" = 3 ]; then
  while [ $(( $(date +%s) - START )) -lt $(( DURATION / 6 )) ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  LEADERS="$(kafka/cluster.sh leaders logdist- | tr '\n' ',' || true)"
  LEADER="$(echo "$LEADERS" | sed -n 's/^node \([123]\) leads.*/\1/p')"; LEADER="${LEADER:-1}"
  log "killing Kafka node $LEADER (kill -9), the broker leading most partitions ($LEADERS): the other two hold every acknowledged chunk"
  kafka/cluster.sh kill "$LEADER"
  KILLED_AT=$(date +%s); echo "$(( KILLED_AT - START ))" >"$OUT/broker-kill"
  while [ $(( $(date +%s) - KILLED_AT )) -lt $(( DURATION / 12 )) ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  log "starting Kafka node $LEADER again on its data"
  kafka/cluster.sh restart "$LEADER"
fi
if [ "$BUFFER" = kafka ]; then
  while [ $(( $(date +%s) - START )) -lt $(( DURATION / 3 )) ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  log "killing distributor replica 1 (kill -9, pid ${REPLICA[1]}) under load: what it acknowledged is in Kafka"
  kill -9 "${REPLICA[1]}" 2>/dev/null || true; wait "${REPLICA[1]}" 2>/dev/null || true
fi
CRASH_ARGS=(); CHART_CRASH=()
if [ "$CRASH" = 1 ]; then
  while [ $(( $(date +%s) - START )) -lt $(( DURATION / 3 )) ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  KILLED=$DPID
  log "killing the distributor (kill -9, pid $KILLED) under load: every packet it answered 202 is in its journal on disk"
  CRASH_MS=$(date +%s%3N); CRASH_AT=$(( $(date +%s) - START ))
  kill -9 "$KILLED" 2>/dev/null || true; wait "$KILLED" 2>/dev/null || true
  LEFT=(); for pid in "${PIDS[@]}"; do [ "$pid" = "$KILLED" ] || LEFT+=("$pid"); done; PIDS=("${LEFT[@]}")
  start_distributor 8080 8081 "$RUN/distributor-restarted.log" DISTRIBUTOR_DATA_DIR="$RUN/data"
  log "starting the distributor again at once (pid $DPID), same settings, same data dir $RUN/data"
  UP_MS=""
  for _ in $(seq 900); do
    if curl -sf -o /dev/null --max-time 1 http://127.0.0.1:8080/health; then UP_MS=$(date +%s%3N); break; fi
    kill -0 "$DPID" 2>/dev/null || break; sleep 0.1
  done
  [ -n "$UP_MS" ] || { log "the distributor did not become healthy again (see $RUN/distributor-restarted.log)"; exit 1; }
  log "distributor healthy again $(( (UP_MS - CRASH_MS) / 1000 )).$(( (UP_MS - CRASH_MS) % 1000 / 100 )) s after the kill: it replays from its journal what it had accepted and not delivered"
  RECOVERED=$(awk '/pending records recovered/ { for (i = 2; i <= NF; i++) if ($i == "pending") n += $(i - 1) } END { print n + 0 }' \
    "$RUN/distributor-restarted.log")
  log "the restarted distributor found $RECOVERED records in its journals not yet delivered when it was killed (see $RUN/distributor-restarted.log)"
  CRASH_ARGS=(--crash "$CRASH_MS" "$UP_MS"); CHART_CRASH=(--crash "$CRASH_AT")
  echo "$CRASH_AT" >"$OUT/crash-at"
fi
if [ "$OUTAGE" = 1 ]; then
  while [ $(( $(date +%s) - START )) -lt "$DOWN_AT" ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  log "killing analyzer a3 (kill -9, pid ${APID[2]}) under load"
  kill -9 "${APID[2]}" 2>/dev/null || true; wait "${APID[2]}" 2>/dev/null || true
  echo "$(( $(date +%s) - START ))" >"$OUT/outage-start"
  while [ $(( $(date +%s) - START )) -lt "$UP_AT" ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  log "starting analyzer a3 again"
  start_analyzer 2; wait_port 9103 30
  echo "$(( $(date +%s) - START ))" >"$OUT/outage-end"
fi
wait "$LOAD" || true
"${JAVA_TOOL[@]}" dev.logdist.demo.JmeterResults "$OUT/jmeter-results.csv" "$OUT/load.json" >/dev/null
log "load finished: $(cat "$OUT/load.json")"

JOURNALS=(); JOURNAL_ARGS=()
for n in "${NAMES[@]}"; do JOURNALS+=("$RUN/analyzer-$n/packets.journal"); JOURNAL_ARGS+=(--journal "$RUN/analyzer-$n/packets.journal"); done
log "draining: waiting up to 60 s for every packet answered 202 to be in an analyzer's journal"
log "$("${JAVA_IDS[@]}" dev.logdist.demo.DemoStatus drain "$OUT/jmeter-results.csv" 60 "${JOURNALS[@]}")" || true
stop_pid "$WATCH"

OUTAGE_ARGS=()
[ -f "$OUT/outage-start" ] && [ -f "$OUT/outage-end" ] && OUTAGE_ARGS=("$(cat "$OUT/outage-start")" "$(cat "$OUT/outage-end")")
"${JAVA_TOOL[@]}" dev.logdist.demo.DemoChart "$OUT/samples.csv" "$OUT/chart.html" "${OUTAGE_ARGS[@]}" "${CHART_CRASH[@]}" \
  && log "chart: $OUT/chart.html (per-analyzer share over time, msgs/s, outage shaded${CHART_CRASH:+, the crash marked})"

set +e
"${JAVA_IDS[@]}" dev.logdist.demo.DemoStatus report --results "$OUT/jmeter-results.csv" "${JOURNAL_ARGS[@]}" "${CRASH_ARGS[@]}" \
  "$STATUS_URL" "$OUT/load.json" \
  http://127.0.0.1:9101 http://127.0.0.1:9102 http://127.0.0.1:9103 http://127.0.0.1:9104 | tee "$OUT/report.txt"
STATUS=${PIPESTATUS[0]}
exit "$STATUS"
