#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, broker and controller in one JVM) on loopback only, from the Maven Central
# jars that kafka/pom.xml copies to kafka/target/lib (fetched on first use).
#   kafka/broker.sh start|stop|status
# KAFKA_PORT (default 9092) is the broker listener, KAFKA_CONTROLLER_PORT (default 9093) the controller's, both on
# 127.0.0.1. KAFKA_DATA_DIR (default data/kafka under the repo; a relative path is taken from the current directory)
# holds the storage, the generated server.properties, broker.pid and logs/. KAFKA_JAVA_OPTS overrides -Xmx512m.
# start formats the storage once, starts the broker in the background, waits up to 60 s until it is ready and prints
# one line with the bootstrap address; stop sends SIGTERM to the recorded PID, SIGKILL after 30 s.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
DATA="${KAFKA_DATA_DIR:-$ROOT/data/kafka}"
case "$DATA" in /*) ;; *) DATA="$PWD/$DATA" ;; esac
LIB="$ROOT/kafka/target/lib"
VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/kafka/pom.xml")"
PID_FILE="$DATA/broker.pid"
LOGS="$DATA/logs"
log() { printf '[kafka %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for p in "$PORT" "$CONTROLLER_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || { log "ports must be 1..65535, got '$p'"; exit 2; }
done
[ "$PORT" != "$CONTROLLER_PORT" ] || { log "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"; exit 2; }

running_pid() { # prints the recorded PID if that process is alive and is a Kafka broker (not a reused PID)
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] && ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' && echo "$pid"
}
# the running broker's address, whatever KAFKA_PORT says now
bootstrap_of_config() { sed -n 's|^advertised.listeners=PLAINTEXT://||p' "$DATA/server.properties"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  cat >"$DATA/server.properties" <<EOF
# written by kafka/broker.sh at each start; edits are lost
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA/storage
num.network.threads=2
num.io.threads=4
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# after a kill -9 the restarted broker waits out its old session before it may register again (9 s by default)
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=5000
log.segment.bytes=16777216
log.index.size.max.bytes=1048576
log.cleaner.dedupe.buffer.size=33554432
EOF
}

fetch_jars() { # again when kafka/pom.xml pins another version, so that two versions never share the classpath
  [ -f "$LIB/kafka_2.13-$VERSION.jar" ] && return 0
  log "fetching Apache Kafka $VERSION jars into kafka/target/lib (./mvnw -f kafka/pom.xml dependency:copy-dependencies; first run only)"
  rm -rf "$LIB"
  (cd "$ROOT" && ./mvnw -B -q -f kafka/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib) >&2 \
    || { log "fetching the Kafka jars failed"; exit 1; }
}

format_once() {
  [ -f "$DATA/storage/meta.properties" ] && return 0
  local id
  # a cluster id is 16 random bytes in URL-safe base64 without padding; one starting with '-' reads as an option
  id="-"; while [[ "$id" == -* ]]; do id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"; done
  log "formatting $DATA/storage with cluster id $id"
  java -Xmx128m -cp "$LIB/*" -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="$LOGS" \
    kafka.tools.StorageTool format --cluster-id "$id" --config "$DATA/server.properties" >>"$LOGS/format.out" 2>&1 \
    || { log "formatting failed; see $LOGS/format.out"; exit 1; }
}

start() {
  local pid
  if pid="$(running_pid)"; then log "already running (pid $pid) on $(bootstrap_of_config)"; exit 1; fi
  for p in "$PORT" "$CONTROLLER_PORT"; do
    ! port_open "$p" || { log "port $p is in use by another process; stop it first or set KAFKA_PORT/KAFKA_CONTROLLER_PORT"; exit 1; }
  done
  fetch_jars
  mkdir -p "$LOGS"
  local seen=0  # server.log survives restarts: look for the start-up line only in what this start writes
  [ -f "$LOGS/server.log" ] && seen="$(wc -c <"$LOGS/server.log")"
  write_config
  format_once
  # shellcheck disable=SC2086
  nohup java ${KAFKA_JAVA_OPTS:--Xmx512m -Xms512m} -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="$LOGS" \
    -cp "$LIB/*" kafka.Kafka "$DATA/server.properties" >>"$LOGS/broker.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  # ready: the listener accepts connections and the server has logged the end of its start-up
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "broker exited during start-up; see $LOGS/server.log and $LOGS/broker.out"
      tail -n 5 "$LOGS/broker.out" >&2
      rm -f "$PID_FILE"; exit 1
    fi
    if port_open "$PORT" && tail -c +$((seen + 1)) "$LOGS/server.log" 2>/dev/null | grep -q 'Kafka Server started'; then
      echo "kafka: ready pid=$pid bootstrap=127.0.0.1:$PORT data=$DATA"
      return 0
    fi
    sleep 0.1
  done
  log "broker not ready after 60 s; stopping it (pid $pid); see $LOGS/server.log"
  stop
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then log "not running ($DATA)"; rm -f "$PID_FILE"; return 0; fi
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; log "stopped (pid $pid)"; return 0; }
    sleep 0.1
  done
  log "pid $pid still alive after 30 s; SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "kafka: running pid=$pid bootstrap=$(bootstrap_of_config) data=$DATA"
  else echo "kafka: not running data=$DATA"; exit 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
