package dev.logdist.otlp;

import dev.logdist.ingest.NativePacket;
import dev.logdist.ingest.Translation;
import com.google.protobuf.ByteString;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.WrittenMessages;
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
        Attributes attributes = new Attributes(maxAttributes);
        Attributes shared = new Attributes(Integer.MAX_VALUE);
        Hex traceIds = new Hex();
        Hex spanIds = new Hex();
        UnixNanos times = new UnixNanos();
        String receivedText = null;
        for (int r = 0; r < request.getResourceLogsCount(); r++) {
            ResourceLogs resourceLogs = request.getResourceLogs(r);
            List<KeyValue> resource = resourceLogs.getResource().getAttributesList();
            String service = stringAttribute(resource, SERVICE_NAME);
            String host = stringAttribute(resource, HOST_NAME);
            for (int s = 0; s < resourceLogs.getScopeLogsCount(); s++) {
                ScopeLogs scopeLogs = resourceLogs.getScopeLogs(s);
                // the resource's attributes and the scope's fields are the same for every record of the scope, so
                // their texts are made once; each record takes them after its own, dropping those it already has
                shared.clear().addAll(resource, SERVICE_NAME, HOST_NAME);
                InstrumentationScope scope = scopeLogs.getScope();
                if (!scope.getName().isEmpty()) {
                    shared.add("otel.scope.name", scope.getName());
                }
                if (!scope.getVersion().isEmpty()) {
                    shared.add("otel.scope.version", scope.getVersion());
                }
                for (int l = 0; l < scopeLogs.getLogRecordsCount(); l++) {
                    LogRecord record = scopeLogs.getLogRecords(l);
                    String timestamp = eventTime(record, times);
                    if (timestamp == null) {
                        if (receivedText == null) {
                            receivedText = received.toString();
                        }
                        timestamp = receivedText;
                    }
                    packet.startMessage(paths.records(), timestamp, Severity.level(record),
                            AnyValues.text(record.getBody()), host, service);
                    attributes(record, attributes.clear(), traceIds, spanIds).addAll(shared).writeTo(packet);
                    packet.endMessage();
                    paths.add(r, s, l);
                }
            }
        }
        return new Mapped(packet.finish(), paths, agentId, packet.written());
    }

    /** A request as a packet, the place of each of its records, and what its writer knows of its messages. */
    record Mapped(Translation translation, RecordPaths paths, String agentId, WrittenMessages written) {

        /** The validator's verdict on the packet ({@link PacketParser#written}: read again only when in doubt). */
        PacketParser.Parsed validated(PacketParser parser) {
            return parser.written(agentId, translation.packet(), written);
        }
    }

    static String timestamp(LogRecord record, Instant received) {
        String time = eventTime(record, new UnixNanos());
        return time == null ? received.toString() : time;
    }

    /** The record's {@code time_unix_nano}, else its {@code observed_time_unix_nano}; null when it has neither. */
    private static String eventTime(LogRecord record, UnixNanos times) {
        long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
        // fixed64: unsigned
        return nanos == 0 ? null : times.text(nanos);
    }

    /** The trace context, the record's own attributes and its event name, in this order. */
    private static Attributes attributes(LogRecord record, Attributes attributes, Hex traceIds, Hex spanIds) {
        if (!record.getTraceId().isEmpty()) {
            attributes.add("trace_id", traceIds.of(record.getTraceId()));
        }
        if (!record.getSpanId().isEmpty()) {
            attributes.add("span_id", spanIds.of(record.getSpanId()));
        }
        for (int i = 0; i < record.getAttributesCount(); i++) {
            KeyValue kv = record.getAttributes(i);
            attributes.add(kv.getKey(), AnyValues.text(kv.getValue()));
        }
        if (!record.getEventName().isEmpty()) {
            attributes.add("event.name", record.getEventName());
        }
        return attributes;
    }

    /** Ids in hex, the last one remembered: the records of a request often share a trace id. */
    private static final class Hex {
        private ByteString last;
        private String hex;

        String of(ByteString id) {
            if (!id.equals(last)) {
                last = id;
                hex = HEX.formatHex(id.toByteArray());
            }
            return hex;
        }
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
