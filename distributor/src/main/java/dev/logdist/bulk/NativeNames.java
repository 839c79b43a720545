package dev.logdist.bulk;

import dev.logdist.validation.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** The validator's violations, which name native fields ({@code messages[2].source}), told in a document's own field names. */
final class NativeNames {

    private NativeNames() {
    }

    /** The violations of message {@code m}. */
    static List<Violation> ofMessage(List<Violation> violations, int m) {
        String prefix = "messages[" + m + "]";
        return violations.stream().filter(v -> v.path().equals(prefix) || v.path().startsWith(prefix + "."))
                .toList();
    }

    /** One reason naming each field: {@code field [host.name] is longer than ...}. */
    static String reason(List<Violation> violations) {
        return violations.stream().map(v -> "field [" + field(v.path()) + "] " + v.problem())
                .collect(Collectors.joining("; "));
    }

    /** The document's name of a native field path. */
    static String field(String path) {
        String field = path;
        if (path.startsWith("messages[")) {
            int dot = path.indexOf("].");
            field = dot < 0 ? "_source" : path.substring(dot + 2);
        }
        if (field.startsWith("attributes.")) {
            return field.substring("attributes.".length());
        }
        return switch (field) {
            case "timestamp" -> "@timestamp";
            case "level" -> "log.level";
            case "source" -> "host.name";
            case "service" -> "service.name";
            case "agentId" -> "X-Agent-Id"; // the header, else the peer address, names the agent
            default -> field;
        };
    }
}
