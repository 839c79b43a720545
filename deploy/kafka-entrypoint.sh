#!/usr/bin/env bash
# Entrypoint of the Dockerfile's `kafka` target: a single-node KRaft broker from the Maven Central jars, configured the
# way the apache/kafka image is, so the compose file's kafka service works with either image:
# every KAFKA_* variable (except KAFKA_HEAP_OPTS, KAFKA_OPTS, KAFKA_JVM_*) becomes a server property, lower-cased,
# with _ -> .  __ -> _  ___ -> -  (KAFKA_NODE_ID=1 -> node.id=1). CLUSTER_ID (optional) names the cluster on the
# first start; the storage lives in /var/lib/kafka/data (log.dirs) unless KAFKA_LOG_DIRS says otherwise.
set -euo pipefail
cd /opt/kafka
CONF=/opt/kafka/server.properties
: >"$CONF"
has_log_dirs=0
while IFS='=' read -r name value; do
  case "$name" in KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_*|KAFKA_VERSION) continue ;; esac
  key="${name#KAFKA_}"; key="${key,,}"; key="${key//___/-}"; key="${key//__/@}"; key="${key//_/.}"; key="${key//@/_}"
  [ "$key" = log.dirs ] && has_log_dirs=1
  printf '%s=%s\n' "$key" "$value" >>"$CONF"
done < <(env | grep '^KAFKA_' || true)
[ "$has_log_dirs" = 1 ] || echo "log.dirs=/var/lib/kafka/data" >>"$CONF"
DATA="$(sed -n 's/^log\.dirs=//p' "$CONF" | cut -d, -f1)"
mkdir -p "$DATA" /opt/kafka/logs
CP='/opt/kafka/lib/*'
LOG=(-Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -Dkafka.logs.dir=/opt/kafka/logs)
if [ ! -f "$DATA/meta.properties" ]; then
  # the same default as the apache/kafka image when CLUSTER_ID is not given
  java -Xmx128m -cp "$CP" "${LOG[@]}" kafka.tools.StorageTool format --cluster-id "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" \
    --config "$CONF" --ignore-formatted
fi
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS} ${KAFKA_OPTS:-} -Djava.awt.headless=true "${LOG[@]}" -cp "$CP" kafka.Kafka "$CONF"
