package dev.logdist.otlp;

import dev.logdist.ingest.NativePacket;
import dev.logdist.ingest.Translation;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes the log records of an export request as one native packet, one message per record in the order they came:
 * the time from {@code time_unix_nano}, else {@code observed_time_unix_nano}, else the time the request was received;
 * the level by {@link Severity}; the body as the message ({@link AnyValues}); the resource's {@code service.name} as
 * the service and {@code host.name} as the source; the trace context and the other attributes by {@link Attributes}.
 */
final class LogRecords {

    static final String SERVICE_NAME = "service.name";
    static final String HOST_NAME = "host.name";
    private static final HexFormat HEX = HexFormat.of();

    private final int maxAttributes;

    LogRecords(int maxAttributes) {
        this.maxAttributes = maxAttributes;
    }

    /** The request's records as a packet of {@code agentId}, and where each record sits in the request. */
    Mapped map(ExportLogsServiceRequest request, String agentId, Instant received) {
        NativePacket packet = NativePacket.of(agentId, null);
        RecordPaths paths = new RecordPaths();
        for (int r = 0; r < request.getResourceLogsCount(); r++) {
            ResourceLogs resourceLogs = request.getResourceLogs(r);
            List<KeyValue> resource = resourceLogs.getResource().getAttributesList();
            String service = stringAttribute(resource, SERVICE_NAME);
            String host = stringAttribute(resource, HOST_NAME);
            for (int s = 0; s < resourceLogs.getScopeLogsCount(); s++) {
                ScopeLogs scopeLogs = resourceLogs.getScopeLogs(s);
                for (int l = 0; l < scopeLogs.getLogRecordsCount(); l++) {
                    LogRecord record = scopeLogs.getLogRecords(l);
                    packet.message(paths.records(), timestamp(record, received), Severity.level(record),
                            AnyValues.text(record.getBody()), host, service,
                            attributes(record, resource, scopeLogs.getScope()).taken());
                    paths.add(r, s, l);
                }
            }
        }
        return new Mapped(packet.finish(), paths);
    }

    /** A request as a packet, and the place of each of its records. */
    record Mapped(Translation translation, RecordPaths paths) {
    }

    static String timestamp(LogRecord record, Instant received) {
        long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
        if (nanos == 0) {
            return received.toString();
        }
        // fixed64: unsigned
        return Instant.ofEpochSecond(Long.divideUnsigned(nanos, 1_000_000_000L), Long.remainderUnsigned(nanos, 1_000_000_000L))
                .toString();
    }

    private Attributes attributes(LogRecord record, List<KeyValue> resource, InstrumentationScope scope) {
        Attributes attributes = new Attributes(maxAttributes);
        if (!record.getTraceId().isEmpty()) {
            attributes.add("trace_id", HEX.formatHex(record.getTraceId().toByteArray()));
        }
        if (!record.getSpanId().isEmpty()) {
            attributes.add("span_id", HEX.formatHex(record.getSpanId().toByteArray()));
        }
        attributes.addAll(record.getAttributesList());
        if (!record.getEventName().isEmpty()) {
            attributes.add("event.name", record.getEventName());
        }
        attributes.addAll(resource, SERVICE_NAME, HOST_NAME);
        if (!scope.getName().isEmpty()) {
            attributes.add("otel.scope.name", scope.getName());
        }
        if (!scope.getVersion().isEmpty()) {
            attributes.add("otel.scope.version", scope.getVersion());
        }
        return attributes;
    }

    /** The string value of the first attribute named {@code name}, or null when there is none (or it is no string). */
    static String stringAttribute(List<KeyValue> attributes, String name) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(name)) {
                return kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : null;
            }
        }
        return null;
    }
}
