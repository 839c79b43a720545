package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Java SDK's own OTLP/HTTP log exporter, behind a {@code BatchLogRecordProcessor}, pointed at a real
 * {@code bin/distributor} by its URL alone: every record (each with a sequence number of its own) counted by the real
 * analyzers in their weighted shares and every export reported a success; and when the distributor answers 503 for
 * a while (an analyzer down under hold and a full spool), the exporter's default retries carry the records over it.
 */
class OtlpSdkIT {

    private static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("seq");
    private static final Pattern REFUSALS = Pattern.compile("logdist_ingest_requests_total\\{[^}]*status=\"503\"[^}]*\\} ([0-9.E]+)");

    private final Http http = new Http();

    @Test
    void should_count_every_record_the_sdk_exports_once_in_the_weighted_shares() throws Exception {
        String[] names = {"s1", "s2", "s3"};
        double[] weights = {0.5, 0.3, 0.2};
        int records = 5000;
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory("otlp-sdk");
            int[] ports = analyzers(processes, data, names);
            int port = Processes.freePort();
            processes.distributor("otlp-sdk", port, Map.of("DISTRIBUTOR_ANALYZERS", analyzersSetting(names, weights, ports),
                    "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString()));
            Exports exports = new Exports(OtlpHttpLogRecordExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + port + "/v1/logs").setCompression("gzip").build());

            // batches of 20: the balancer's shares are exact to within a chunk, 0.4 % of 5000
            CompletableResultCode flushed = emit(exports, 20, records);

            assertThat(flushed.join(60, TimeUnit.SECONDS).isSuccess()).as("forceFlush").isTrue();
            assertThat(exports.failed.get()).as("exports reported failed").isZero();
            assertThat(exports.exported.get()).isEqualTo(records);
            long[] counts = awaitCounted(ports, records);
            for (int i = 0; i < names.length; i++) {
                double share = (double) counts[i] / records;
                assertThat(Math.abs(share - weights[i])).as("share of %s: %s", names[i], share).isLessThanOrEqualTo(0.005);
            }
            for (String name : names) {
                assertThat(AnalyzerJournals.read(data.resolve("analyzer-" + name)))
                        .as("the agent is the resource's service.instance.id").isNotEmpty()
                        .allSatisfy(e -> assertThat(e.agentId()).isEqualTo("shop-1"));
            }
        }
    }

    @Test
    void should_carry_the_records_over_a_while_of_503_by_the_exporters_retries() throws Exception {
        String[] names = {"r1", "r2"};
        int records = 3000;
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory("otlp-retry");
            int[] ports = analyzers(processes, data, names);
            int port = Processes.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("DISTRIBUTOR_ANALYZERS", analyzersSetting(names, new double[] {0.5, 0.5}, ports));
            env.put("DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString());
            // r2 failing under hold: its records wait in a journal of at most 1 MiB, then ingest answers 503
            env.put("DISTRIBUTOR_OUTAGE_POLICY", "hold");
            env.put("DISTRIBUTOR_SPOOL_MAX_BYTES", "1048576");
            env.put("DISTRIBUTOR_DELIVERY_RETRIES", "0");
            env.put("DISTRIBUTOR_BREAKER_OPEN_MS", "200");
            env.put("DISTRIBUTOR_REPLAY_INTERVAL_MS", "50");
            processes.distributor("otlp-retry", port, env);
            assertThat(http.postJson(ports[1], "/admin/fail", "{\"mode\":\"error\"}".getBytes()).statusCode()).isEqualTo(200);
            // the SDK's default retry policy (5 attempts, honouring Retry-After), stated so that the test says what it relies on
            Exports exports = new Exports(OtlpHttpLogRecordExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + port + "/v1/logs").setTimeout(Duration.ofSeconds(30))
                    .setRetryPolicy(RetryPolicy.getDefault()).build());

            CompletableResultCode flushed = emit(exports, 50, records);
            await("a 503 while r2 is failing and its journal full").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20)).until(() -> refusals(port) > 0);
            assertThat(http.postJson(ports[1], "/admin/fail", "{\"mode\":\"ok\"}".getBytes()).statusCode()).isEqualTo(200);

            assertThat(flushed.join(120, TimeUnit.SECONDS).isSuccess()).as("forceFlush").isTrue();
            assertThat(exports.failed.get()).as("exports given up on: their records dropped").isZero();
            assertThat(exports.exported.get()).isEqualTo(records);
            awaitCounted(ports, records);
            assertThat(refusals(port)).as("the exporter met 503s and retried them").isPositive();
        }
    }

    /** Emits {@code records} records, each with its sequence number, and asks for them all to be exported. */
    private static CompletableResultCode emit(Exports exports, int batch, int records) {
        SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop",
                        AttributeKey.stringKey("service.instance.id"), "shop-1", AttributeKey.stringKey("host.name"), "it-host")))
                // a queue for every record: the processor itself drops none while an export waits
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(exports).setMaxExportBatchSize(batch)
                        .setMaxQueueSize(2 * records).setScheduleDelay(Duration.ofMillis(20))
                        .setExporterTimeout(Duration.ofSeconds(60)).build())
                .build();
        Logger logger = provider.get("dev.logdist.it.otlp");
        String padding = "x".repeat(1500);
        for (int i = 0; i < records; i++) {
            logger.logRecordBuilder().setSeverity(i % 10 == 0 ? Severity.WARN : Severity.INFO)
                    .setBody("record " + i + " " + padding).setAttribute(SEQUENCE, (long) i).emit();
        }
        return provider.forceFlush().whenComplete(provider::close);
    }

    private static int[] analyzers(Processes processes, Path data, String[] names) throws Exception {
        int[] ports = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            ports[i] = Processes.freePort();
            processes.analyzer(names[i], ports[i], data.resolve("analyzer-" + names[i]));
        }
        return ports;
    }

    private static String analyzersSetting(String[] names, double[] weights, int[] ports) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            b.append(i == 0 ? "" : ",").append(names[i]).append('@').append(weights[i]).append("=http://127.0.0.1:")
                    .append(ports[i]).append("/logs");
        }
        return b.toString();
    }

    /** The analyzers' counts once they add up to {@code records}, and never more. */
    private long[] awaitCounted(int[] ports, int records) throws Exception {
        await("the analyzers count " + records).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> total(counts(ports)) >= records);
        long[] counts = counts(ports);
        assertThat(total(counts)).as("every record counted once, none twice").isEqualTo(records);
        return counts;
    }

    private long[] counts(int[] ports) throws Exception {
        long[] counts = new long[ports.length];
        for (int i = 0; i < ports.length; i++) {
            counts[i] = http.getJson(ports[i], "/stats").get("messages").asLong();
        }
        return counts;
    }

    private static long total(long[] counts) {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    private double refusals(int port) throws Exception {
        Matcher m = REFUSALS.matcher(http.send(java.net.http.HttpRequest.newBuilder(Http.url(port, "/metrics"))).body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The SDK's exporter, with what became of every export it was handed. */
    private static final class Exports implements LogRecordExporter {
        private final LogRecordExporter exporter;
        final AtomicInteger exported = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        Exports(LogRecordExporter exporter) {
            this.exporter = exporter;
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            CompletableResultCode result = exporter.export(logs);
            return result.whenComplete(() -> {
                if (result.isSuccess()) {
                    exported.addAndGet(logs.size());
                } else {
                    failed.incrementAndGet();
                }
            });
        }

        @Override
        public CompletableResultCode flush() {
            return exporter.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return exporter.shutdown();
        }
    }
}
