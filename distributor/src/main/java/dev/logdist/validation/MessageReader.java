package dev.logdist.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.Level;
import java.io.IOException;

/** Reads and validates one log message of a packet's {@code messages} array. */
final class MessageReader {

    static final int MAX_NAME_CHARS = MessageRules.MAX_NAME_CHARS;
    static final int MAX_ATTRIBUTE_VALUE_CHARS = MessageRules.MAX_ATTRIBUTE_VALUE_CHARS;

    private final JsonParser p;
    private final PacketParser.Violations violations;
    private final Limits limits;

    MessageReader(JsonParser p, PacketParser.Violations violations, Limits limits) {
        this.p = p;
        this.violations = violations;
        this.limits = limits;
    }

    /**
     * Validates the message whose first token is current; false, with violations recorded, when it is invalid. Only
     * the short fields become Strings: the others are checked on the parser's own characters, since a valid message
     * travels on as the bytes it arrived as.
     */
    boolean read(int index) throws IOException {
        FieldPath at = new FieldPath(index, null, null);
        if (p.currentToken() != JsonToken.START_OBJECT) {
            violations.add(at, "must be a log message object");
            p.skipChildren();
            return false;
        }
        int before = violationCount();
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            FieldPath path = new FieldPath(index, field, null);
            int bit = bit(field);
            if ((seen & bit) != 0) {
                Fields.repeated(p, path, violations);
                continue;
            }
            seen |= bit;
            switch (field) {
                case "timestamp" -> timestamp(value, path);
                case "level" -> level(value, path);
                case "message" -> text(value, path);
                case "source", "service" -> optionalName(value, path);
                case "attributes" -> attributes(value, path);
                default -> {
                    violations.add(path, "unknown field (a message has timestamp, level, message, source, service"
                            + " and attributes)");
                    p.skipChildren();
                }
            }
        }
        requirePresent((seen & TIMESTAMP) != 0, index, "timestamp");
        requirePresent((seen & LEVEL) != 0, index, "level");
        requirePresent((seen & MESSAGE) != 0, index, "message");
        return violationCount() == before;
    }

    private static final int TIMESTAMP = 1;
    private static final int LEVEL = 2;
    private static final int MESSAGE = 4;

    /** One bit per known field, to refuse a field named twice (0 for unknown fields, which are refused anyway). */
    private static int bit(String field) {
        return switch (field) {
            case "timestamp" -> TIMESTAMP;
            case "level" -> LEVEL;
            case "message" -> MESSAGE;
            case "source" -> 8;
            case "service" -> 16;
            case "attributes" -> 32;
            default -> 0;
        };
    }

    private int violationCount() {
        return violations.total();
    }

    private void requirePresent(boolean seen, int index, String field) {
        if (!seen) {
            violations.add(new FieldPath(index, field, null), "is required");
        }
    }

    private void timestamp(JsonToken value, FieldPath path) throws IOException {
        String text = Fields.string(p, value, path, violations, MessageRules.MAX_TIMESTAMP_CHARS);
        if (text != null && !MessageRules.timestamp(text)) {
            violations.add(path, "must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:00:00.123Z; got '"
                    + text + "'");
        }
    }

    private void level(JsonToken value, FieldPath path) throws IOException {
        String text = Fields.string(p, value, path, violations, MessageRules.MAX_LEVEL_CHARS);
        if (text != null && !MessageRules.level(text)) {
            violations.add(path, "must be one of " + Level.NAMES + " (any case); got '" + text + "'");
        }
    }

    private void text(JsonToken value, FieldPath path) throws IOException {
        if (Fields.length(p, value, path, violations, limits.maxMessageChars()) >= 0 && blank()) {
            violations.add(path, "must not be empty");
        }
    }

    /** Whether the current string is empty or only whitespace, as {@link String#isBlank()} tells. */
    private boolean blank() throws IOException {
        return MessageRules.blank(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    private void optionalName(JsonToken value, FieldPath path) throws IOException {
        if (value != JsonToken.VALUE_NULL) {
            Fields.length(p, value, path, violations, MAX_NAME_CHARS);
        }
    }

    private void attributes(JsonToken value, FieldPath path) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            violations.add(path, "must be an object of string values");
            p.skipChildren();
            return;
        }
        int count = 0;
        String[] names = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (names != null && Fields.contains(names, count, key)) {
                Fields.repeated(p, path.key(key), violations);
                continue;
            }
            if (count == limits.maxAttributes()) {
                violations.add(path, "has more than " + limits.maxAttributes() + " attributes (distributor.max-attributes)");
                p.skipChildren();
                skipRestOfObject();
                return;
            }
            if (!MessageRules.attributeName(key)) {
                violations.add(path.key(key), "attribute names must be 1 to " + MAX_NAME_CHARS + " characters");
                p.skipChildren();
                continue;
            }
            if (Fields.length(p, v, path.key(key), violations, MAX_ATTRIBUTE_VALUE_CHARS) >= 0) {
                if (names == null) {
                    names = new String[Math.min(limits.maxAttributes(), 8)];
                } else if (count == names.length) {
                    names = java.util.Arrays.copyOf(names, Math.min(limits.maxAttributes(), 2 * count));
                }
                names[count++] = key;
            }
        }
    }

    private void skipRestOfObject() throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
            p.skipChildren();
        }
    }
}
