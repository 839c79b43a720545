package dev.logdist.otlp;

import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Refusal;
import dev.logdist.validation.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each log record of a request sits ({@code resourceLogs[0].scopeLogs[1].logRecords[2]}), by its index in the
 * request, and the native validator's paths ({@code messages[3].message}) told in OTLP's terms
 * ({@code resourceLogs[0].scopeLogs[0].logRecords[3].body}), so that the client reads what it sent.
 */
final class RecordPaths {

    private int[] where = new int[3 * 16];
    private int records;

    /** Notes the next record's place. */
    void add(int resource, int scope, int record) {
        if (3 * records == where.length) {
            where = Arrays.copyOf(where, 2 * where.length);
        }
        where[3 * records] = resource;
        where[3 * records + 1] = scope;
        where[3 * records + 2] = record;
        records++;
    }

    int records() {
        return records;
    }

    /** The path of record {@code item}. */
    String of(int item) {
        return "resourceLogs[" + where[3 * item] + "].scopeLogs[" + where[3 * item + 1] + "].logRecords["
                + where[3 * item + 2] + "]";
    }

    /** A refused record's violations with OTLP paths; the refusal's index is the record's. */
    List<Violation> violations(Refusal refusal) {
        List<Violation> told = new ArrayList<>(refusal.violations().size());
        for (Violation v : refusal.violations()) {
            told.add(new Violation(of(refusal.index()) + field(afterMessage(v.path())), v.problem()));
        }
        return told;
    }

    /**
     * The validator's rejection of the whole packet in OTLP's terms: a message's path becomes its record's
     * ({@code itemOfMessage} maps messages to records), the packet's own fields the request's.
     */
    PacketRejectedException told(PacketRejectedException e, int[] itemOfMessage) {
        List<Violation> told = new ArrayList<>(e.violations().size());
        for (Violation v : e.violations()) {
            String path = v.path();
            if (path.startsWith("messages[")) {
                int message = Integer.parseInt(path.substring("messages[".length(), path.indexOf(']')));
                path = of(itemOfMessage[message]) + field(afterMessage(path));
            } else if (path.equals("messages")) {
                path = "resourceLogs[*].scopeLogs[*].logRecords";
            } else if (path.equals("agentId")) {
                path = "X-Agent-Id";
            }
            told.add(new Violation(path, v.problem()));
        }
        String error = e.getMessage().replace("the packet has", "the request has");
        return new PacketRejectedException(e.status(), error, told);
    }

    /** {@code .message} of {@code messages[3].message}; empty for {@code messages[3]}. */
    private static String afterMessage(String path) {
        int close = path.indexOf(']');
        return close < 0 ? "" : path.substring(close + 1);
    }

    /** A native message field, {@code .level}, {@code .attributes.region}, as the record's field it came from. */
    private static String field(String nativeField) {
        if (nativeField.startsWith(".attributes.")) {
            return ".attributes[" + nativeField.substring(".attributes.".length()) + "]";
        }
        return switch (nativeField) {
            case ".timestamp" -> ".timeUnixNano";
            case ".level" -> ".severityNumber";
            case ".message" -> ".body";
            case ".source" -> " (resource attribute host.name)";
            case ".service" -> " (resource attribute service.name)";
            default -> nativeField;
        };
    }
}
