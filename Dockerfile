# The distributor and the analyzer from one multi-stage build: a Maven build stage and two JRE runtime targets,
# `distributor` (the default, last) and `analyzer`. Configured only by the contract's environment variables.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY distributor ./distributor
COPY analyzers ./analyzers
COPY demo-tools ./demo-tools
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17.0.15_6-jre AS analyzer
WORKDIR /app
COPY --from=build /src/analyzers/target/log-analyzer.jar /app/log-analyzer.jar
COPY --from=build /src/analyzers/target/lib /app/lib
ENV ANALYZER_PORT=9101 ANALYZER_DATA_DIR=/data ANALYZER_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC"
VOLUME /data
EXPOSE 9101
ENTRYPOINT ["sh", "-c", "exec java $ANALYZER_JAVA_OPTS -jar /app/log-analyzer.jar"]

FROM eclipse-temurin:17.0.15_6-jre AS distributor
WORKDIR /app
COPY --from=build /src/distributor/target/log-distributor.jar /app/log-distributor.jar
COPY --from=build /src/distributor/target/lib /app/lib
ENV DISTRIBUTOR_PORT=8080 DISTRIBUTOR_DATA_DIR=/data JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC"
VOLUME /data
EXPOSE 8080 8081
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/log-distributor.jar"]
