package dev.logdist.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * Whose request it is, as the native agent id: the {@code X-Agent-Id} header when the exporter sends one (refused when
 * it is no valid id), else the first resource's {@code service.instance.id}, else its {@code host.name} (each only
 * when it is a valid id), else the peer's address. OTLP has no packet ids, so the id serves only to tell agents apart
 * (in the analyzers' counts and journals); the distributor assigns each request its packet id.
 */
final class AgentIds {

    static final String HEADER = "X-Agent-Id";
    private static final int MAX_ID_CHARS = 128;

    private AgentIds() {
    }

    static String of(String header, ExportLogsServiceRequest request, String peer) {
        if (header != null) {
            return header;
        }
        if (request.getResourceLogsCount() > 0) {
            List<KeyValue> resource = request.getResourceLogs(0).getResource().getAttributesList();
            for (String name : new String[] {"service.instance.id", LogRecords.HOST_NAME}) {
                String id = LogRecords.stringAttribute(resource, name);
                if (valid(id)) {
                    return id;
                }
            }
        }
        return valid(peer) ? peer : "otlp";
    }

    /** 1 to 128 visible characters, as the validator wants an agent id. */
    static boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
