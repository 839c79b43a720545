#!/usr/bin/env bash
# The demo on the compose stack (./demo.sh --compose): builds the images, brings up docker-compose.yml (four analyzers,
# the distributor, hawtio) with `docker compose` or `podman-compose` (whichever works here), drives load with the JMeter
# service, stops analyzer3 and starts it again mid-run, waits for the backlog to drain, copies the analyzers' journals
# out of their containers (`<engine> cp`, so that loss is judged by ids; by counts when that fails), prints the local
# demo's report and takes everything down again (`down -v`, also on failure or Ctrl-C). Ends with one line:
#   demo: PASS messages=N lost=0 duplicates=N throughput=N msgs/s        (or demo: FAIL ...)
# Options: --duration S (load time, default 120) --rate PACKETS_PER_S (default 1000; 0 = as fast as possible)
#          --policy hold|failover (default hold) --no-outage
#          --crash: a third into the load (before analyzer3's outage) the distributor container gets SIGKILL
#            (`docker compose kill distributor`; podman-compose 1.0.3 has no kill: `podman kill --signal KILL` of the
#            container found by its compose labels), then `compose start distributor` on the same named volume; the
#            report allows (and counts) connection-level failures inside the crash window, loss is judged by ids.
# Needs java 17 on the host (./mvnw builds the jars there; the report tools run there). Base images: the public ones
# (eclipse-temurin) when a registry answers, else Debian-only ones from deploy/local-images.sh (debootstrap, root).
# Environment: LOGDIST_COMPOSE ("docker compose" or podman-compose) LOGDIST_BASES (auto|public|local)
#              LOGDIST_COMPOSE_PROJECT (default logdist-demo). Output: demo-out/ (report.txt, chart.html, run/*.log).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/layout.sh
source "$ROOT/deploy/layout.sh"
DURATION=120; RATE=1000; POLICY=hold; OUTAGE=1; CRASH=0
while [ $# -gt 0 ]; do
  case "$1" in
    --compose) shift ;;   # tolerated: demo.sh may pass its own dispatch flag along
    --duration) DURATION="${2:-}"; shift 2 ;;
    --rate) RATE="${2:-}"; shift 2 ;;
    --policy) POLICY="${2:-}"; shift 2 ;;
    --no-outage) OUTAGE=0; shift ;;
    --buffer) echo "demo: --buffer is not supported with --compose (see docs/compose.md for the kafka profile)" >&2; exit 2 ;;
    --crash) CRASH=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "demo: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ ]] && [ "$DURATION" -ge 20 ] && [ "$DURATION" -le 600 ] || { echo "demo: --duration must be 20..600 seconds" >&2; exit 2; }
[[ "$RATE" =~ ^[0-9]+$ ]] || { echo "demo: --rate must be a whole number of packets per second" >&2; exit 2; }
[ "$POLICY" = hold ] || [ "$POLICY" = failover ] || { echo "demo: --policy must be hold or failover" >&2; exit 2; }

OUT="$ROOT/demo-out"; RUN="$OUT/run"
rm -rf "$OUT"; mkdir -p "$RUN" "$OUT/jmeter"
PROJECT="${LOGDIST_COMPOSE_PROJECT:-logdist-demo}"
T0=$SECONDS
log() { printf '[demo %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
STAGE="checking the engine"; FAIL_REASON=""; REPORT_STATUS=""; UP=0; WATCH=""; LOAD=""
fail() { FAIL_REASON="$*"; log "$*"; exit 1; }

# ---- engine ----
if [ -n "${LOGDIST_COMPOSE:-}" ]; then
  read -ra COMPOSE <<<"$LOGDIST_COMPOSE"
elif command -v docker >/dev/null && docker compose version >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v podman-compose >/dev/null && command -v podman >/dev/null; then
  COMPOSE=(podman-compose)
else
  fail "neither docker compose (with a running Docker engine) nor podman-compose (with podman) is available"
fi
case "${COMPOSE[0]}" in podman-compose) ENGINE=podman ;; *) ENGINE="${COMPOSE[0]}" ;; esac
compose() { "${COMPOSE[@]}" -p "$PROJECT" -f "$ROOT/docker-compose.yml" "$@"; }
run_logged() { # name command...: output to $RUN/name.log, the tail shown on failure
  local name="$1" from; shift
  from=$(( $(cat "$RUN/$name.log" 2>/dev/null | wc -l) + 1 ))
  # podman-compose 1.0.3 exits 0 when a podman command it ran failed; it prints "exit code: N" after each one
  if "$@" >>"$RUN/$name.log" 2>&1 </dev/null \
     && ! { [ "${1:-}" = compose ] && [ "$ENGINE" = podman ] && tail -n +"$from" "$RUN/$name.log" | grep -qE '^exit code: [1-9]'; }; then
    return 0
  fi
  log "$name failed; last lines of demo-out/run/$name.log:"; tail -n 15 "$RUN/$name.log" | sed 's/^/    /'
  return 1
}
# the two errors podman gives on VMs like the project's CI machines, with the settings that fix them
podman_hint() {
  [ "$ENGINE" = podman ] || return 0
  local pat='setrlimit RLIMIT_(NOFILE|NPROC): Operation not permitted|error setting rlimit type [0-9]+: operation not permitted|cgroups in hybrid mode not supported'
  if grep -qhE "$pat" "$RUN"/*.log 2>/dev/null; then
    log "podman cannot start containers on this machine with its defaults:"
    grep -hE "$pat" "$RUN"/*.log | sed -E 's/^.*(crun|runc): /\1: /' | sort -u | head -3 | sed 's/^/    /'
    log "set these in /etc/containers/containers.conf (what .ci/compose-check does on CI; nothing here changes it):"
    "$ROOT/deploy/podman-ci-settings.sh" --print | sed 's/^/    /'
  fi
}

teardown() {
  [ "$UP" = 1 ] || return 0
  UP=0
  local t=$SECONDS
  "$ENGINE" rm -f "${PROJECT}_jmeter_run" >/dev/null 2>&1 || true
  # 40 s: the distributor's drain (podman-compose 1.0.3 ignores stop_grace_period)
  compose down -v -t 40 >>"$RUN/compose-down.log" 2>&1 </dev/null || log "compose down failed (see demo-out/run/compose-down.log)"
  # podman-compose 1.0.3 leaves the project's network behind
  local f="label=com.docker.compose.project=$PROJECT" left n
  for n in $("$ENGINE" network ls -q --filter "$f" 2>/dev/null); do "$ENGINE" network rm "$n" >>"$RUN/compose-down.log" 2>&1 || true; done
  left="$( { "$ENGINE" ps -a -q --filter "$f"; "$ENGINE" volume ls -q --filter "$f"; "$ENGINE" network ls -q --filter "$f"; } 2>/dev/null | wc -l)"
  if [ "$left" -gt 0 ]; then
    log "$left containers, volumes or networks of project $PROJECT are still there after down"
    [ -n "$FAIL_REASON" ] || FAIL_REASON="parts of the stack left after down"
    REPORT_STATUS=1
  else
    log "stack down: containers, network and volumes of $PROJECT removed ($((SECONDS - t)) s)"
  fi
}
cleanup() {
  local rc=$?
  set +e
  [ -n "$WATCH" ] && kill "$WATCH" 2>/dev/null && wait "$WATCH" 2>/dev/null
  [ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null && wait "$LOAD" 2>/dev/null
  teardown
  log "total $((SECONDS - T0)) s"
  if [ -n "$REPORT_STATUS" ] && [ -f "$OUT/report.txt" ] && [ -z "$FAIL_REASON" ]; then
    cat "$OUT/report.txt"
    exit "$REPORT_STATUS"
  fi
  podman_hint
  [ -f "$OUT/report.txt" ] && sed '$d' "$OUT/report.txt"
  echo "demo: FAIL ${FAIL_REASON:-while $STAGE (exit $rc)}; logs in demo-out/run/"
  exit 1
}
trap cleanup EXIT
trap 'FAIL_REASON="interrupted"; exit 130' INT TERM

# ---- host ports (127.0.0.1 only): the defaults, or the next free ones when another demo holds them ----
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { local p="$1"; while ! port_free "$p"; do p=$((p + 10000)); [ "$p" -lt 65000 ] || p=$(( (p % 10000) + 1 )); done; echo "$p"; }
export LOGDIST_HTTP_PORT LOGDIST_HAWTIO_PORT LOGDIST_A1_PORT LOGDIST_A2_PORT LOGDIST_A3_PORT LOGDIST_A4_PORT LOGDIST_RESULTS_DIR
LOGDIST_HTTP_PORT=$(pick_port 8080); LOGDIST_HAWTIO_PORT=$(pick_port 8090)
LOGDIST_A1_PORT=$(pick_port 9101); LOGDIST_A2_PORT=$(pick_port 9102); LOGDIST_A3_PORT=$(pick_port 9103); LOGDIST_A4_PORT=$(pick_port 9104)
LOGDIST_RESULTS_DIR="$OUT/jmeter"
export DISTRIBUTOR_OUTAGE_POLICY="$POLICY" DISTRIBUTOR_BUFFER=spool
A_PORTS=("$LOGDIST_A1_PORT" "$LOGDIST_A2_PORT" "$LOGDIST_A3_PORT" "$LOGDIST_A4_PORT")
DIST_URL="http://127.0.0.1:$LOGDIST_HTTP_PORT"
log "engine: ${COMPOSE[*]} ($("${COMPOSE[@]}" version 2>/dev/null | grep -m1 -iE "compose.* version" || true)); project $PROJECT"

# ---- the jars, built on the host (cached by Maven; the images take them with PREBUILT=1) ----
STAGE="building the jars"; t=$SECONDS
command -v java >/dev/null || fail "java 17 is needed on the host (the jars and the report tools)"
log "building the jars on the host (./mvnw -B -q -DskipTests package)"
run_logged build-jars ./mvnw -B -q -DskipTests package || fail "the Maven build failed"
if [ -z "$(find jmeter/target -path '*/jmeter/bin/ApacheJMeter-5.6.3.jar' 2>/dev/null | head -1)" ]; then
  log "fetching Apache JMeter 5.6.3 from Maven Central (jmeter/pom.xml; first run only)"
  run_logged build-jars ./mvnw -B -q -f jmeter/pom.xml jmeter:configure@configuration || fail "fetching JMeter failed"
fi
if ! ls hawtio/target/lib/hawtio-embedded-*.jar >/dev/null 2>&1; then
  log "fetching hawtio-embedded 3.0.0 from Maven Central (hawtio/pom.xml; first run only)"
  run_logged build-jars ./mvnw -B -q -f hawtio/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib \
    || fail "fetching hawtio failed"
fi
if [ ! hawtio/target/classes/HawtioLauncher.class -nt hawtio/HawtioLauncher.java ]; then
  mkdir -p hawtio/target/classes
  run_logged build-jars javac -d hawtio/target/classes -cp 'hawtio/target/lib/*' hawtio/HawtioLauncher.java || fail "javac HawtioLauncher failed"
fi
TOOLS=(java -Xmx1g -XX:+UseSerialGC -cp "$ROOT/$DEMO_TOOLS_JAR:$ROOT/$(dirname "$DEMO_TOOLS_JAR")/lib/*")
log "jars ready ($((SECONDS - t)) s)"

# ---- base images and the stack's images ----
STAGE="building the images"; t=$SECONDS
BASES="${LOGDIST_BASES:-auto}"
if [ "$BASES" = auto ]; then
  BASES=local
  if "$ENGINE" image inspect docker.io/library/eclipse-temurin:17-jre >/dev/null 2>&1 \
     || { command -v curl >/dev/null && curl -s -o /dev/null --max-time 5 https://registry-1.docker.io/v2/; }; then BASES=public; fi
fi
if [ "$BASES" = local ]; then
  log "no container registry answers: Debian-only base images (deploy/local-images.sh; kept between runs)"
  run_logged local-images "$ROOT/deploy/local-images.sh" --engine "$ENGINE" || fail "making the local base images failed"
  JRE_IMAGE=localhost/logdist-jre17:base
else
  JRE_IMAGE=docker.io/library/eclipse-temurin:17-jre
fi
BUILD_ARGS=(--build-arg PREBUILT=1 --build-arg "JRE_IMAGE=$JRE_IMAGE" --build-arg "BUILD_IMAGE=$JRE_IMAGE"
  --build-arg "DISTRIBUTOR_DIR=$DISTRIBUTOR_DIR" --build-arg "DISTRIBUTOR_JAR=$DISTRIBUTOR_JAR"
  --build-arg "ANALYZER_DIR=$ANALYZER_DIR" --build-arg "ANALYZER_JAR=$ANALYZER_JAR")
log "building the images on $JRE_IMAGE (analyzer, distributor, jmeter, hawtio)"
run_logged compose-build compose build "${BUILD_ARGS[@]}" analyzer1 distributor jmeter hawtio || fail "building the images failed"
log "images built ($((SECONDS - t)) s)"

# ---- the stack ----
STAGE="starting the stack"; t=$SECONDS
UP=1
run_logged compose-up compose up -d --no-build analyzer1 analyzer2 analyzer3 analyzer4 distributor hawtio \
  || fail "compose up failed"
wait_http() { # url seconds
  local i; for i in $(seq $(( $2 * 2 ))); do curl -sf -o /dev/null --max-time 2 "$1" && return 0; sleep 0.5; done; return 1
}
for i in 0 1 2 3; do wait_http "http://127.0.0.1:${A_PORTS[$i]}/stats" 90 || fail "analyzer$((i + 1)) not answering on 127.0.0.1:${A_PORTS[$i]}"; done
wait_http "$DIST_URL/health" 120 || fail "the distributor not healthy on $DIST_URL"
log "stack up ($((SECONDS - t)) s): distributor $DIST_URL (policy $POLICY), analyzers a1..a4 on 127.0.0.1:${A_PORTS[*]}"
wait_http "http://127.0.0.1:$LOGDIST_HAWTIO_PORT/hawtio/" 90 \
  && log "hawtio on http://127.0.0.1:$LOGDIST_HAWTIO_PORT/hawtio (connect to distributor:8081/observe/jolokia)" \
  || log "hawtio not answering yet on 127.0.0.1:$LOGDIST_HAWTIO_PORT (the demo goes on without it)"

# ---- load, outage ----
STAGE="running the load"
log "JMeter (service jmeter) drives load for ${DURATION}s at ${RATE} packets/s from 8 agents"
START=$(date +%s)
"${TOOLS[@]}" dev.logdist.demo.DemoStatus watch "$DIST_URL" "$OUT/samples.csv" &
WATCH=$!
PER_MINUTE=$(( RATE > 0 ? RATE * 60 : 600000000 ))
compose run --rm --no-deps -T --name "${PROJECT}_jmeter_run" jmeter -Jhost=distributor -Jport=8080 -Jthreads=8 \
  -Jduration="$DURATION" -Jrate="$PER_MINUTE" </dev/null >"$RUN/load.log" 2>&1 &
LOAD=$!
DOWN_AT=$(( DURATION / 2 )); UP_AT=$(( DOWN_AT + DURATION / 4 ))
CRASH_ARGS=(); CHART_CRASH=()
if [ "$CRASH" = 1 ]; then
  while [ $(( $(date +%s) - START )) -lt $(( DURATION / 3 )) ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  DCID=$("$ENGINE" ps -q --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=distributor" 2>>"$RUN/crash.log" | head -1)
  [ -n "$DCID" ] || fail "no running distributor container of project $PROJECT to kill"
  state() { "$ENGINE" inspect --format '{{.State.Running}} {{.State.Pid}} {{.State.ExitCode}}' "$DCID" 2>>"$RUN/crash.log"; }
  read -r _ OLD_PID _ <<<"$(state)"
  CRASH_MS=$(date +%s%3N); CRASH_AT=$(( $(date +%s) - START ))
  if [ "$ENGINE" = podman ]; then
    # podman-compose 1.0.3 has no `kill`
    log "killing the distributor under load (podman kill --signal KILL ${DCID:0:12}, its pid $OLD_PID): every packet it answered 202 is in its journal on the volume"
    run_logged crash "$ENGINE" kill --signal KILL "$DCID" || fail "podman kill of the distributor failed"
  else
    log "killing the distributor under load (${COMPOSE[*]} kill -s KILL distributor, its pid $OLD_PID): every packet it answered 202 is in its journal on the volume"
    run_logged crash compose kill -s KILL distributor || fail "compose kill distributor failed"
  fi
  for _ in $(seq 100); do read -r RUNNING _ EXIT_CODE <<<"$(state)"; [ "$RUNNING" = false ] && break; sleep 0.1; done
  [ "${RUNNING:-}" = false ] && log "the distributor container exited with code $EXIT_CODE (SIGKILL is 137)" \
    || log "the distributor container still runs 10 s after the kill (restarted by its restart policy?)"
  log "starting the distributor again (compose start distributor): same container, same named volume distributor-data"
  run_logged crash compose start distributor || fail "compose start distributor failed"
  UP_MS=""
  for _ in $(seq 1200); do
    if curl -sf -o /dev/null --max-time 1 "$DIST_URL/health"; then UP_MS=$(date +%s%3N); break; fi
    sleep 0.1
  done
  [ -n "$UP_MS" ] || fail "the distributor did not become healthy again on $DIST_URL within 120 s of its start"
  read -r _ NEW_PID _ <<<"$(state)"
  [ "$NEW_PID" != "$OLD_PID" ] || fail "the distributor's pid is still $OLD_PID: the kill did not take"
  log "distributor healthy again on $DIST_URL $(( (UP_MS - CRASH_MS) / 1000 )).$(( (UP_MS - CRASH_MS) % 1000 / 100 )) s after the kill (now pid $NEW_PID): it replays from its journal what it had accepted and not delivered"
  "$ENGINE" logs "$DCID" >"$RUN/distributor.log" 2>&1 || true
  RECOVERED=$(awk '/pending records recovered/ { for (i = 2; i <= NF; i++) if ($i == "pending") n += $(i - 1) } END { print n + 0 }' \
    "$RUN/distributor.log")
  log "the restarted distributor found $RECOVERED records in its journals not yet delivered when it was killed (demo-out/run/distributor.log)"
  CRASH_ARGS=(--crash "$CRASH_MS" "$UP_MS"); CHART_CRASH=(--crash "$CRASH_AT")
  echo "$CRASH_AT" >"$OUT/crash-at"
fi
if [ "$OUTAGE" = 1 ]; then
  while [ $(( $(date +%s) - START )) -lt "$DOWN_AT" ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  log "stopping analyzer3 (compose stop analyzer3) under load"
  run_logged compose-outage compose stop analyzer3 || fail "compose stop analyzer3 failed"
  echo "$(( $(date +%s) - START ))" >"$OUT/outage-start"
  while [ $(( $(date +%s) - START )) -lt "$UP_AT" ] && kill -0 "$LOAD" 2>/dev/null; do sleep 0.2; done
  log "starting analyzer3 again (compose start analyzer3)"
  run_logged compose-outage compose start analyzer3 || fail "compose start analyzer3 failed"
  wait_http "http://127.0.0.1:$LOGDIST_A3_PORT/stats" 60 || fail "analyzer3 not answering after its start"
  echo "$(( $(date +%s) - START ))" >"$OUT/outage-end"
fi
wait "$LOAD" || log "the JMeter container ended with a failure (see demo-out/run/load.log)"
LOAD=""
[ -s "$OUT/jmeter/jmeter-results.csv" ] || fail "no JMeter results in demo-out/jmeter/jmeter-results.csv (see demo-out/run/load.log)"
cp "$OUT/jmeter/jmeter-results.csv" "$OUT/jmeter-results.csv"
"${TOOLS[@]}" dev.logdist.demo.JmeterResults "$OUT/jmeter-results.csv" "$OUT/load.json" >/dev/null
log "load finished: $(cat "$OUT/load.json")"

# ---- drain, report ----
STAGE="draining"; t=$SECONDS
ACCEPTED=$(sed -E 's/.*"messagesAccepted":([0-9]+).*/\1/' "$OUT/load.json")
counted() { local s=0 p n; for p in "${A_PORTS[@]}"; do
  n=$(curl -s --max-time 2 "http://127.0.0.1:$p/stats" | sed -E 's/.*"messages":([0-9]+).*/\1/'); [[ "$n" =~ ^[0-9]+$ ]] || n=0; s=$(( s + n )); done; echo "$s"; }
log "draining: waiting up to 120 s for the analyzers to count all $ACCEPTED accepted messages"
for _ in $(seq 240); do [ "$(counted)" -ge "$ACCEPTED" ] && break; sleep 0.5; done
log "drained ($((SECONDS - t)) s)"
# loss is judged by ids: the analyzers' journals (in named volumes) copied out of their containers
JOURNALS=(); mkdir -p "$RUN/journals"
for i in 1 2 3 4; do JOURNALS+=("$RUN/journals/analyzer$i.journal"); done
copy_journals() {
  local i cid
  for i in 1 2 3 4; do
    cid=$("$ENGINE" ps -a -q --filter "label=com.docker.compose.project=$PROJECT" \
      --filter "label=com.docker.compose.service=analyzer$i" 2>>"$RUN/journals.log" | head -1)
    [ -n "$cid" ] && "$ENGINE" cp "$cid:/data/packets.journal" "$RUN/journals/analyzer$i.journal" >>"$RUN/journals.log" 2>&1 \
      || { echo "analyzer$i: no container or no /data/packets.journal" >>"$RUN/journals.log"; return 1; }
  done
}
JOURNAL_ARGS=()
if copy_journals; then
  for _ in $(seq 30); do
    "${TOOLS[@]}" dev.logdist.demo.DemoStatus drain "$OUT/jmeter-results.csv" 0 "${JOURNALS[@]}" >"$RUN/drain.log" 2>&1 && break
    sleep 1; copy_journals || break
  done
  log "journals copied out of the analyzer containers: $(cat "$RUN/drain.log")"
  for f in "${JOURNALS[@]}"; do JOURNAL_ARGS+=(--journal "$f"); done
else
  log "could not copy the journals out of the analyzer containers (see demo-out/run/journals.log): loss judged by counts"
fi
kill "$WATCH" 2>/dev/null; wait "$WATCH" 2>/dev/null || true; WATCH=""

OUTAGE_ARGS=()
[ -f "$OUT/outage-start" ] && [ -f "$OUT/outage-end" ] && OUTAGE_ARGS=("$(cat "$OUT/outage-start")" "$(cat "$OUT/outage-end")")
"${TOOLS[@]}" dev.logdist.demo.DemoChart "$OUT/samples.csv" "$OUT/chart.html" "${OUTAGE_ARGS[@]}" "${CHART_CRASH[@]}" \
  && log "chart: $OUT/chart.html (per-analyzer share over time, msgs/s, outage shaded${CHART_CRASH:+, the crash marked})"
STAGE="reporting"
set +e
"${TOOLS[@]}" dev.logdist.demo.DemoStatus report --results "$OUT/jmeter-results.csv" "${JOURNAL_ARGS[@]}" "${CRASH_ARGS[@]}" "$DIST_URL" "$OUT/load.json" \
  "http://127.0.0.1:$LOGDIST_A1_PORT" "http://127.0.0.1:$LOGDIST_A2_PORT" "http://127.0.0.1:$LOGDIST_A3_PORT" \
  "http://127.0.0.1:$LOGDIST_A4_PORT" >"$OUT/report.txt" 2>"$RUN/report.err"
REPORT_STATUS=$?
set -e
tail -n 1 "$OUT/report.txt" | grep -q '^demo: ' || { REPORT_STATUS=""; fail "the report tool failed (see demo-out/run/report.err)"; }
# the EXIT trap takes the stack down and then prints the report, so that its last line is the last line printed
exit "$REPORT_STATUS"
