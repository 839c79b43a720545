# The distributor and the analyzer (and a Kafka broker for the compose file's kafka profile) from one multi-stage build.
# Targets: `analyzer`, `kafka`, `distributor` (the default, last). Configured only by the contract's environment variables.
#
# Build arguments (docker compose build --build-arg K=V / podman-compose build --build-arg K=V):
#   BUILD_IMAGE  image of the build stage (default docker.io/library/maven:3.9-eclipse-temurin-17: needs Maven and a JDK 17)
#   JRE_IMAGE    base of the runtime images (default docker.io/library/eclipse-temurin:17-jre; any image with bash and java 17 on PATH)
#   PREBUILT     0 (default): the build stage runs Maven (Maven Central); 1: it takes the jars that ./mvnw built on the
#                host (./mvnw -B -q -DskipTests package; kafka/target/lib for the kafka target). deploy/compose-demo.sh
#                uses 1 with the Debian-only bases of deploy/local-images.sh when no registry is reachable.
#   *_DIR/*_JAR  where the build puts each jar (its lib/ beside it): the one place that knows the module layout.
ARG BUILD_IMAGE=docker.io/library/maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=docker.io/library/eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
ARG PREBUILT=0
ARG DISTRIBUTOR_DIR=distributor/target
ARG DISTRIBUTOR_JAR=log-distributor.jar
ARG ANALYZER_DIR=analyzers/target
ARG ANALYZER_JAR=log-analyzer.jar
WORKDIR /src
COPY . .
RUN set -e; \
    if [ "$PREBUILT" != 1 ]; then mvn -B -q -DskipTests package; fi; \
    for f in "$DISTRIBUTOR_DIR/$DISTRIBUTOR_JAR" "$ANALYZER_DIR/$ANALYZER_JAR"; do \
      [ -f "$f" ] && [ -d "$(dirname "$f")/lib" ] || { echo "missing $f or its lib/ (PREBUILT=$PREBUILT: run ./mvnw -B -q -DskipTests package first)" >&2; exit 1; }; \
    done; \
    mkdir -p /out/distributor /out/analyzer; \
    cp "$DISTRIBUTOR_DIR/$DISTRIBUTOR_JAR" /out/distributor/log-distributor.jar; cp -r "$DISTRIBUTOR_DIR/lib" /out/distributor/lib; \
    cp "$ANALYZER_DIR/$ANALYZER_JAR" /out/analyzer/log-analyzer.jar; cp -r "$ANALYZER_DIR/lib" /out/analyzer/lib; \
    install -m 755 deploy/http-check.sh /out/http-check

# Apache Kafka from the Maven Central jars of kafka/pom.xml (as kafka/broker.sh runs it), configured like the
# apache/kafka image: KAFKA_FOO_BAR=v becomes foo.bar=v (see deploy/kafka-entrypoint.sh).
FROM ${BUILD_IMAGE} AS kafka-build
ARG PREBUILT=0
WORKDIR /src
COPY kafka ./kafka
RUN set -e; \
    if [ "$PREBUILT" != 1 ]; then mvn -B -q -f kafka/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib; fi; \
    ls kafka/target/lib/kafka_2.13-*.jar >/dev/null 2>&1 || { echo "missing kafka/target/lib (PREBUILT=1: run ./mvnw -B -q -f kafka/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib)" >&2; exit 1; }; \
    mkdir -p /out; cp -r kafka/target/lib /out/lib; cp kafka/log4j2.properties /out/

FROM ${JRE_IMAGE} AS analyzer
WORKDIR /app
COPY --from=build /out/analyzer/ /app/
COPY --from=build /out/http-check /usr/local/bin/http-check
ENV ANALYZER_PORT=9101 ANALYZER_DATA_DIR=/data ANALYZER_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC"
VOLUME /data
EXPOSE 9101
ENTRYPOINT ["sh", "-c", "exec java $ANALYZER_JAVA_OPTS -cp '/app/log-analyzer.jar:/app/lib/*' dev.logdist.analyzer.AnalyzerMain"]

FROM ${JRE_IMAGE} AS kafka
WORKDIR /opt/kafka
COPY --from=kafka-build /out/ /opt/kafka/
COPY deploy/kafka-entrypoint.sh /opt/kafka/entrypoint.sh
ENV KAFKA_HEAP_OPTS="-Xmx512m -Xms512m"
VOLUME /var/lib/kafka/data
EXPOSE 9092 9093
ENTRYPOINT ["bash", "/opt/kafka/entrypoint.sh"]

FROM ${JRE_IMAGE} AS distributor
WORKDIR /app
COPY --from=build /out/distributor/ /app/
COPY --from=build /out/http-check /usr/local/bin/http-check
# a short DNS cache: an analyzer container that comes back gets a new address under the same name
ENV DISTRIBUTOR_PORT=8080 DISTRIBUTOR_DATA_DIR=/data JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC -Dsun.net.inetaddr.ttl=5"
VOLUME /data
EXPOSE 8080 8081
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/log-distributor.jar"]
