#!/usr/bin/env bash
# A three-node Apache Kafka cluster (KRaft: each node is broker and controller, all three are voters) on one host, from
# the Maven Central jars that kafka/pom.xml copies to kafka/target/lib (fetched on first use, as kafka/broker.sh does).
#   kafka/cluster.sh start               start every node that is not running (the first start formats their storage)
#   kafka/cluster.sh stop [N]            SIGTERM to the recorded PIDs (all, or node N), SIGKILL after 30 s
#   kafka/cluster.sh kill N              SIGKILL (kill -9) to node N: no flush, no controlled shutdown
#   kafka/cluster.sh restart N           stop node N if it runs, then start it again on its data
#   kafka/cluster.sh status              one line per node; exit 0 when all three run, 3 otherwise
#   kafka/cluster.sh bootstrap           the bootstrap servers, host:port,host:port,host:port
#   kafka/cluster.sh pid N               node N's PID (exit 3 when it is not running)
#   kafka/cluster.sh leader TOPIC PART   the node id that leads that partition now
#   kafka/cluster.sh leaders PREFIX      per node, how many partitions of the topics starting with PREFIX it leads
# KAFKA_CLUSTER_DIR (default data/kafka-cluster under the repo) holds everything: cluster.env (the cluster id, host and
# ports chosen at the first start, kept for every later one), node-N/{server.properties,storage,broker.pid,logs}.
# KAFKA_HOST (default 127.0.0.1) is the address the brokers listen on and advertise: set it to an address a network
# namespace can reach (e.g. the host end of its veth pair) when clients run there. KAFKA_BROKER_PORTS and
# KAFKA_CONTROLLER_PORTS (three comma-separated ports each) default to free ones. KAFKA_JAVA_OPTS (default
# -Xmx256m -Xms256m) is each broker's JVM options.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${KAFKA_CLUSTER_DIR:-$ROOT/data/kafka-cluster}"
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
LIB="$ROOT/kafka/target/lib"
VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/kafka/pom.xml")"
NODES=(1 2 3)
log() { printf '[kafka-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

valid_node() { [[ "${1:-}" =~ ^[123]$ ]] || { log "node must be 1, 2 or 3, got '${1:-}'"; exit 2; }; }
node_dir() { echo "$DIR/node-$1"; }

# cluster.env: chosen once, at the first start, so that a restart finds its peers and its clients find it again
pick_free() { # count: appends that many ports nothing listens on (20000..32767, below the ephemeral range that outgoing connections take their ports from) to PICKED
  local p
  for _ in $(seq 400); do
    [ "$1" -gt 0 ] || return 0
    p=$((20000 + RANDOM % 12768))
    [[ " ${PICKED[*]:-} " == *" $p "* ]] && continue
    port_open 127.0.0.1 "$p" || { PICKED+=("$p"); set -- $(($1 - 1)); }
  done
  log "no free port found"; exit 1
}
ports_from() { # "a,b,c" variable-name: three valid distinct ports
  local IFS=, list; read -r -a list <<<"$1"
  [ "${#list[@]}" = 3 ] || { log "$2 must be three comma-separated ports, got '$1'"; exit 2; }
  for p in "${list[@]}"; do
    [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || { log "$2: ports must be 1..65535, got '$p'"; exit 2; }
  done
  echo "${list[*]}"
}
load_env() {
  if [ -f "$DIR/cluster.env" ]; then
    # shellcheck disable=SC1091
    . "$DIR/cluster.env"
    return 0
  fi
  [ "${1:-}" = create ] || { log "no cluster in $DIR yet (kafka/cluster.sh start makes one)"; exit 3; }
  PICKED=()
  HOST="${KAFKA_HOST:-127.0.0.1}"
  if [ -n "${KAFKA_BROKER_PORTS:-}" ]; then read -r -a BROKER_PORTS <<<"$(ports_from "$KAFKA_BROKER_PORTS" KAFKA_BROKER_PORTS)"
  else pick_free 3; BROKER_PORTS=("${PICKED[@]}"); fi
  PICKED+=("${BROKER_PORTS[@]}")
  if [ -n "${KAFKA_CONTROLLER_PORTS:-}" ]; then read -r -a CONTROLLER_PORTS <<<"$(ports_from "$KAFKA_CONTROLLER_PORTS" KAFKA_CONTROLLER_PORTS)"
  else pick_free 3; CONTROLLER_PORTS=("${PICKED[@]:${#PICKED[@]}-3}"); fi
  local all; all="$(printf '%s\n' "${BROKER_PORTS[@]}" "${CONTROLLER_PORTS[@]}" | sort -u | wc -l)"
  [ "$all" = 6 ] || { log "the six broker and controller ports must differ"; exit 2; }
  # a cluster id is 16 random bytes in URL-safe base64 without padding; one starting with '-' reads as an option
  CLUSTER_ID="-"; while [[ "$CLUSTER_ID" == -* ]]; do CLUSTER_ID="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"; done
  mkdir -p "$DIR"
  cat >"$DIR/cluster.env" <<EOF
# written by kafka/cluster.sh at the first start; the cluster keeps these for its life (delete $DIR to start afresh)
CLUSTER_ID=$CLUSTER_ID
HOST=$HOST
BROKER_PORTS=(${BROKER_PORTS[*]})
CONTROLLER_PORTS=(${CONTROLLER_PORTS[*]})
EOF
}

bootstrap() {
  local out=() n
  for n in "${NODES[@]}"; do out+=("$HOST:${BROKER_PORTS[$((n - 1))]}"); done
  (IFS=,; echo "${out[*]}")
}

running_pid() { # node: its recorded PID if that process is alive and is a Kafka broker (not a reused PID)
  local f pid; f="$(node_dir "$1")/broker.pid"
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] && ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' && echo "$pid"
}

write_config() { # node
  local n="$1" d voters="" m
  d="$(node_dir "$n")"
  for m in "${NODES[@]}"; do voters+="${voters:+,}$m@127.0.0.1:${CONTROLLER_PORTS[$((m - 1))]}"; done
  cat >"$d/server.properties" <<EOF
# written by kafka/cluster.sh at each start; edits are lost
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://$HOST:${BROKER_PORTS[$((n - 1))]},CONTROLLER://127.0.0.1:${CONTROLLER_PORTS[$((n - 1))]}
advertised.listeners=PLAINTEXT://$HOST:${BROKER_PORTS[$((n - 1))]}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$d/storage
num.network.threads=2
num.io.threads=4
num.replica.fetchers=1
num.partitions=1
# three copies of everything; a write acknowledged with acks=all is on at least two of them
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
auto.create.topics.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
# a node killed with kill -9 is fenced (and leaves every ISR, so acks=all goes on with two) after 5 s
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=5000
replica.lag.time.max.ms=10000
log.segment.bytes=16777216
log.index.size.max.bytes=1048576
log.cleaner.dedupe.buffer.size=16777216
EOF
}

fetch_jars() { # again when kafka/pom.xml pins another version, so that two versions never share the classpath
  [ -f "$LIB/kafka_2.13-$VERSION.jar" ] && return 0
  log "fetching Apache Kafka $VERSION jars into kafka/target/lib (./mvnw -f kafka/pom.xml dependency:copy-dependencies; first run only)"
  rm -rf "$LIB"
  (cd "$ROOT" && ./mvnw -B -q -f kafka/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib) >&2 \
    || { log "fetching the Kafka jars failed"; exit 1; }
}

format_once() { # node
  local d; d="$(node_dir "$1")"
  [ -f "$d/storage/meta.properties" ] && return 0
  java -Xmx128m -cp "$LIB/*" -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="$d/logs" \
    kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" --config "$d/server.properties" >>"$d/logs/format.out" 2>&1 \
    || { log "formatting node $1 failed; see $d/logs/format.out"; return 1; }
}

declare -A SEEN
launch() { # node: starts it in the background, records its PID
  local n="$1" d pid
  d="$(node_dir "$n")"
  if pid="$(running_pid "$n")"; then log "node $n already running (pid $pid)"; return 0; fi
  for p in "${BROKER_PORTS[$((n - 1))]}" "${CONTROLLER_PORTS[$((n - 1))]}"; do
    ! port_open 127.0.0.1 "$p" && ! port_open "$HOST" "$p" || { log "port $p of node $n is in use by another process"; exit 1; }
  done
  mkdir -p "$d/logs"
  SEEN[$n]=0  # server.log survives restarts: look for the start-up line only in what this start writes
  [ -f "$d/logs/server.log" ] && SEEN[$n]="$(wc -c <"$d/logs/server.log")"
  write_config "$n"
  # shellcheck disable=SC2086
  nohup java ${KAFKA_JAVA_OPTS:--Xmx256m -Xms256m} -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="$d/logs" \
    -cp "$LIB/*" kafka.Kafka "$d/server.properties" >>"$d/logs/broker.out" 2>&1 </dev/null &
  echo "$!" >"$d/broker.pid"
}

await_started() { # nodes...: each has logged the end of its start-up (which needs a quorum of controllers)
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120})) n d pid pending
  while [ "$SECONDS" -lt "$deadline" ]; do
    pending=0
    for n in "$@"; do
      d="$(node_dir "$n")"; pid="$(cat "$d/broker.pid" 2>/dev/null || true)"
      if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        log "node $n exited during start-up; see $d/logs/server.log and $d/logs/broker.out"
        tail -n 5 "$d/logs/broker.out" >&2 || true
        rm -f "$d/broker.pid"; return 1
      fi
      tail -c +$((${SEEN[$n]:-0} + 1)) "$d/logs/server.log" 2>/dev/null | grep -q 'Kafka Server started' || pending=1
    done
    [ "$pending" = 0 ] && return 0
    sleep 0.2
  done
  log "nodes $* not started after ${KAFKA_START_TIMEOUT:-120} s; see $DIR/node-N/logs/server.log"
  return 1
}

start() {
  load_env create
  fetch_jars
  local n todo=() pids=()
  for n in "${NODES[@]}"; do
    running_pid "$n" >/dev/null && continue
    mkdir -p "$(node_dir "$n")/logs"; write_config "$n"
    format_once "$n" & pids+=("$!"); todo+=("$n")
  done
  for p in "${pids[@]}"; do wait "$p" || exit 1; done
  for n in "${todo[@]}"; do launch "$n"; done
  [ "${#todo[@]}" = 0 ] || await_started "${todo[@]}" || { stop_nodes "${todo[@]}"; exit 1; }
  echo "kafka-cluster: ready nodes=3 bootstrap=$(bootstrap) dir=$DIR"
}

stop_nodes() { # nodes...: SIGTERM to all at once (a lone survivor cannot finish a controlled shutdown), SIGKILL after 30 s
  local n pid alive
  declare -A pids=()
  for n in "$@"; do
    if pid="$(running_pid "$n")"; then pids[$n]=$pid; kill "$pid" 2>/dev/null || true
    else rm -f "$(node_dir "$n")/broker.pid"; fi
  done
  local deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    alive=0
    for n in "${!pids[@]}"; do kill -0 "${pids[$n]}" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for n in "${!pids[@]}"; do
    if kill -0 "${pids[$n]}" 2>/dev/null; then
      log "node $n (pid ${pids[$n]}) still alive after 30 s; SIGKILL"; kill -9 "${pids[$n]}" 2>/dev/null || true
    fi
    rm -f "$(node_dir "$n")/broker.pid"; log "node $n stopped (pid ${pids[$n]})"
  done
}

kill_node() { # node
  local pid d; d="$(node_dir "$1")"
  if ! pid="$(running_pid "$1")"; then log "node $1 is not running"; return 0; fi
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$d/broker.pid"
  echo "kafka-cluster: killed node $1 (pid $pid)"
}

restart_node() { # node
  stop_nodes "$1"
  fetch_jars
  launch "$1"
  await_started "$1" || { stop_nodes "$1"; exit 1; }
  echo "kafka-cluster: node $1 running pid=$(cat "$(node_dir "$1")/broker.pid") bootstrap=$(bootstrap)"
}

status() {
  local n pid all=0
  for n in "${NODES[@]}"; do
    if pid="$(running_pid "$n")"; then echo "node $n: running pid=$pid broker=$HOST:${BROKER_PORTS[$((n - 1))]}"
    else echo "node $n: not running"; all=3; fi
  done
  echo "bootstrap=$(bootstrap) dir=$DIR"
  return "$all"
}

# leaders are read through the Admin API by a small single-file Java program (kafka-clients is in the jars)
leaders_tool() { fetch_jars; java -Xmx64m -cp "$LIB/*" "$ROOT/kafka/Leaders.java" "$(bootstrap)" "$@"; }

cmd="${1:-}"; shift || true
case "$cmd" in
  start) start ;;
  stop) load_env; if [ $# -gt 0 ]; then valid_node "$1"; stop_nodes "$1"; else stop_nodes "${NODES[@]}"; fi ;;
  kill) valid_node "${1:-}"; load_env; kill_node "$1" ;;
  restart) valid_node "${1:-}"; load_env; restart_node "$1" ;;
  status) load_env; status ;;
  bootstrap) load_env; bootstrap ;;
  pid) valid_node "${1:-}"; load_env; running_pid "$1" || exit 3 ;;
  leader) [ $# = 2 ] || { log "usage: leader TOPIC PARTITION"; exit 2; }; load_env; leaders_tool leader "$1" "$2" ;;
  leaders) [ $# = 1 ] || { log "usage: leaders TOPIC_PREFIX"; exit 2; }; load_env; leaders_tool leaders "$1" ;;
  *) sed -n '2,19p' "$0" >&2; exit 2 ;;
esac
