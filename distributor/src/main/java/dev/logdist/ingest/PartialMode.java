package dev.logdist.ingest;

import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Violation;
import java.util.List;

/**
 * Whether a request is taken message by message (its valid messages accepted, the others refused by index) or whole:
 * by its query parameter {@code partial=true|false}, else by the default of its kind of body.
 */
public final class PartialMode {

    private PartialMode() {
    }

    /** {@code query}: the request's raw query string, or null; a bad value of {@code partial} is the client's 400. */
    public static boolean of(String query, boolean byDefault) {
        if (query == null || query.isEmpty()) {
            return byDefault;
        }
        Boolean chosen = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!name.equals("partial")) {
                continue;
            }
            String value = eq < 0 ? "true" : pair.substring(eq + 1);
            boolean parsed = switch (value) {
                case "true", "1", "" -> true;
                case "false", "0" -> false;
                default -> throw new PacketRejectedException(400, "the query parameter partial must be true or false",
                        List.of(new Violation("partial", "must be true or false, got '" + shortened(value) + "'")));
            };
            if (chosen != null && chosen != parsed) {
                throw new PacketRejectedException(400, "the query parameter partial is given twice, differently",
                        List.of(new Violation("partial", "must be given once")));
            }
            chosen = parsed;
        }
        return chosen == null ? byDefault : chosen;
    }

    private static String shortened(String value) {
        return value.length() > 32 ? value.substring(0, 32) + "..." : value;
    }
}
