package dev.logdist.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.validation.JsonGuard;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.PacketRejectedException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Export requests of every shape become the very bytes they became when each record went through a map of attributes,
 * {@code Instant.toString} and Jackson's generator ({@link #reference}), and the verdict on them told while writing
 * ({@link LogRecords.Mapped#validated}) is the validator's reading them ({@link PacketParser#parseEach}).
 */
class OtlpTranslationTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:00.5Z");
    private static final String[] NAMES = {"order.id", "http.status_code", "trace_id", "service.name", "host.name",
            "otel.scope.name", "event.name", "", "x".repeat(257), "region", "user.id"};

    private static AnyValue value(Random random, int depth) {
        AnyValue.Builder v = AnyValue.newBuilder();
        switch (random.nextInt(depth > 2 ? 6 : 9)) {
            case 0 -> v.setStringValue(random.nextInt(20) == 0 ? "v".repeat(8190 + random.nextInt(4)) + "\ud83d\ude00"
                    : random.nextInt(10) == 0 ? " \t\n" : "value " + random.nextInt(5) + (random.nextBoolean() ? "\"é€" : ""));
            case 1 -> v.setBoolValue(random.nextBoolean());
            case 2 -> v.setIntValue(random.nextLong());
            case 3 -> v.setDoubleValue(random.nextInt(5) == 0 ? Double.NaN : random.nextDouble() * 1e6);
            case 4 -> v.setBytesValue(ByteString.copyFrom(new byte[] {1, 2, (byte) random.nextInt()}));
            case 5 -> { } // no value at all
            case 6 -> v.setArrayValue(ArrayValue.newBuilder().addValues(value(random, depth + 1)).addValues(value(random, depth + 1)));
            default -> v.setKvlistValue(KeyValueList.newBuilder().addValues(attribute(random, depth + 1)));
        }
        return v.build();
    }

    private static KeyValue attribute(Random random, int depth) {
        String name = random.nextInt(3) == 0 ? NAMES[random.nextInt(NAMES.length)] : "a" + random.nextInt(12);
        return KeyValue.newBuilder().setKey(name).setValue(value(random, depth)).build();
    }

    private static ExportLogsServiceRequest request(Random random) {
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        ByteString trace = ByteString.copyFrom(new byte[] {(byte) random.nextInt(), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        for (int r = random.nextInt(3); r >= 0; r--) {
            Resource.Builder resource = Resource.newBuilder();
            if (random.nextInt(4) > 0) {
                resource.addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(random.nextInt(10) == 0
                        ? AnyValue.newBuilder().setIntValue(3).build() : OtlpRequests.text(random.nextInt(20) == 0 ? "s".repeat(300) : "checkout")));
            }
            if (random.nextInt(4) > 0) {
                resource.addAttributes(KeyValue.newBuilder().setKey("host.name").setValue(OtlpRequests.text("web-" + random.nextInt(3))));
            }
            for (int a = random.nextInt(4); a > 0; a--) {
                resource.addAttributes(attribute(random, 0));
            }
            ResourceLogs.Builder resourceLogs = ResourceLogs.newBuilder().setResource(resource);
            for (int s = random.nextInt(3); s >= 0; s--) {
                InstrumentationScope.Builder scope = InstrumentationScope.newBuilder();
                if (random.nextBoolean()) {
                    scope.setName("shop." + random.nextInt(3));
                }
                if (random.nextBoolean()) {
                    scope.setVersion("1." + random.nextInt(3));
                }
                ScopeLogs.Builder scopeLogs = ScopeLogs.newBuilder().setScope(scope);
                for (int l = random.nextInt(12); l > 0; l--) {
                    scopeLogs.addLogRecords(record(random, trace));
                }
                resourceLogs.addScopeLogs(scopeLogs);
            }
            request.addResourceLogs(resourceLogs);
        }
        return request.build();
    }

    private static LogRecord record(Random random, ByteString trace) {
        LogRecord.Builder record = LogRecord.newBuilder();
        long time = random.nextInt(3) == 0 ? random.nextLong() : OtlpRequests.TIME + random.nextInt(3) * 1_000_000L;
        switch (random.nextInt(4)) {
            case 0 -> record.setTimeUnixNano(time);
            case 1 -> record.setObservedTimeUnixNano(time);
            case 2 -> record.setTimeUnixNano(time).setObservedTimeUnixNano(time + 1);
            default -> { } // the time of receipt
        }
        record.setSeverityNumberValue(random.nextInt(30) - 2);
        record.setSeverityText(new String[] {"", "warn", "LOUD", "notice", " error "}[random.nextInt(5)]);
        int body = random.nextInt(12);
        if (body == 0) {
            record.setBody(OtlpRequests.text(" \t "));
        } else if (body == 1) {
            record.setBody(OtlpRequests.text("m".repeat(5000)));
        } else if (body == 2) {
            record.setBody(value(random, 1));
        } else if (body > 3) {
            record.setBody(OtlpRequests.text("order " + random.nextInt(100) + " paid"));
        } // else no body at all
        if (random.nextInt(4) > 0) {
            record.setTraceId(random.nextInt(4) == 0 ? ByteString.copyFrom(new byte[] {(byte) random.nextInt(), 9}) : trace);
        }
        if (random.nextBoolean()) {
            record.setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) random.nextInt(3)}));
        }
        if (random.nextInt(5) == 0) {
            record.setEventName("checkout.paid");
        }
        for (int a = random.nextInt(10) == 0 ? 30 + random.nextInt(40) : random.nextInt(6); a > 0; a--) {
            record.addAttributes(attribute(random, 0));
        }
        return record.build();
    }

    @Test
    void should_write_each_request_as_before_and_validate_it_as_the_validator_reads_it() throws IOException {
        Random random = new Random(11);
        List<Limits> limits = List.of(new Limits(1 << 20, 1000, 4096, 8, 500), new Limits(1 << 20, 1000, 65536, 64, 500),
                new Limits(1 << 20, 5, 100, 3, 500));
        int taken = 0;
        int refusedSome = 0;
        for (int i = 0; i < 3000; i++) {
            ExportLogsServiceRequest request = request(random);
            Limits limit = limits.get(i % limits.size());
            PacketParser parser = i % 7 == 0 ? new PacketParser(limit, new JsonGuard(32, 4000)) : new PacketParser(limit);
            String agentId = i % 13 == 0 ? "has spaces" : "agent-" + i % 3;
            LogRecords.Mapped mapped = new LogRecords(limit.maxAttributes()).map(request, agentId, RECEIVED);
            byte[] json = mapped.translation().packet();

            assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).as("request %d", i)
                    .isEqualTo(new String(reference(request, agentId, limit.maxAttributes()), java.nio.charset.StandardCharsets.UTF_8));
            if (mapped.translation().items() == 0) {
                continue;
            }
            String read = verdict(() -> parser.parseEach(json));
            assertThat(verdict(() -> mapped.validated(parser))).as("request %d", i).isEqualTo(read);
            taken += read.startsWith("taken") ? 1 : 0;
            refusedSome += read.startsWith("taken") && !read.endsWith("[]") ? 1 : 0;
        }
        assertThat(taken).as("requests taken").isGreaterThan(500);
        assertThat(refusedSome).as("requests taken in part").isGreaterThan(100);
    }

    @Test
    void should_write_the_benchmark_request_as_before_and_take_it_without_reading_it_again() throws IOException {
        ExportLogsServiceRequest request = OtlpRequests.request(10);
        LogRecords.Mapped mapped = new LogRecords(64).map(request, "a", RECEIVED);
        PacketParser parser = new PacketParser(new Limits(1 << 20, 1000, 4096, 64, 500));

        assertThat(mapped.translation().packet()).isEqualTo(reference(request, "a", 64));
        assertThat(verdict(() -> mapped.validated(parser))).isEqualTo(verdict(() -> parser.parseEach(mapped.translation().packet())));
        assertThat(mapped.validated(parser).packet().json()).isSameAs(mapped.translation().packet());
    }

    private static String verdict(java.util.function.Supplier<PacketParser.Parsed> parse) {
        try {
            PacketParser.Parsed parsed = parse.get();
            var p = parsed.packet();
            return "taken " + p.agentId() + " " + p.packetId() + " " + p.packetIdField() + " " + p.complete() + " "
                    + Arrays.toString(p.messageBounds()) + " " + Arrays.hashCode(p.json()) + " " + parsed.refused();
        } catch (PacketRejectedException e) {
            return "rejected " + e.status() + " " + e.getMessage() + " " + e.violations();
        }
    }

    /** The packet as the mapping wrote it with a map of attributes per record, Instant.toString and Jackson. */
    private static byte[] reference(ExportLogsServiceRequest request, String agentId, int maxAttributes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = new JsonFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("agentId", agentId);
            out.writeArrayFieldStart("messages");
            for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
                List<KeyValue> resource = resourceLogs.getResource().getAttributesList();
                String service = LogRecords.stringAttribute(resource, "service.name");
                String host = LogRecords.stringAttribute(resource, "host.name");
                for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                    InstrumentationScope scope = scopeLogs.getScope();
                    for (LogRecord record : scopeLogs.getLogRecordsList()) {
                        Map<String, String> attributes = new LinkedHashMap<>();
                        if (!record.getTraceId().isEmpty()) {
                            put(attributes, maxAttributes, "trace_id", HexFormat.of().formatHex(record.getTraceId().toByteArray()));
                        }
                        if (!record.getSpanId().isEmpty()) {
                            put(attributes, maxAttributes, "span_id", HexFormat.of().formatHex(record.getSpanId().toByteArray()));
                        }
                        record.getAttributesList().forEach(kv -> put(attributes, maxAttributes, kv.getKey(), AnyValues.text(kv.getValue())));
                        if (!record.getEventName().isEmpty()) {
                            put(attributes, maxAttributes, "event.name", record.getEventName());
                        }
                        resource.stream().filter(kv -> !kv.getKey().equals("service.name") && !kv.getKey().equals("host.name"))
                                .forEach(kv -> put(attributes, maxAttributes, kv.getKey(), AnyValues.text(kv.getValue())));
                        if (!scope.getName().isEmpty()) {
                            put(attributes, maxAttributes, "otel.scope.name", scope.getName());
                        }
                        if (!scope.getVersion().isEmpty()) {
                            put(attributes, maxAttributes, "otel.scope.version", scope.getVersion());
                        }
                        long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
                        String timestamp = nanos == 0 ? RECEIVED.toString() : Instant.ofEpochSecond(
                                Long.divideUnsigned(nanos, 1_000_000_000L), Long.remainderUnsigned(nanos, 1_000_000_000L)).toString();
                        out.writeStartObject();
                        String[][] fields = {{"timestamp", timestamp}, {"level", Severity.level(record)},
                                {"message", AnyValues.text(record.getBody())}, {"source", host}, {"service", service}};
                        for (String[] f : fields) {
                            if (f[1] != null) {
                                out.writeStringField(f[0], f[1]);
                            }
                        }
                        if (!attributes.isEmpty()) {
                            out.writeObjectFieldStart("attributes");
                            for (Map.Entry<String, String> a : attributes.entrySet()) {
                                out.writeStringField(a.getKey(), a.getValue());
                            }
                            out.writeEndObject();
                        }
                        out.writeEndObject();
                    }
                }
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void put(Map<String, String> attributes, int max, String name, String value) {
        if (value == null || name.isEmpty() || name.length() > 256 || attributes.containsKey(name) || attributes.size() == max) {
            return;
        }
        int end = value.length() <= 8192 ? value.length() : Character.isHighSurrogate(value.charAt(8191)) ? 8191 : 8192;
        attributes.put(name, value.substring(0, end));
    }
}
