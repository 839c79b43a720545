package dev.logdist.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.Level;
import dev.logdist.model.LogMessage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and validates one log message of a packet's {@code messages} array. */
final class MessageReader {

    static final int MAX_NAME_CHARS = 256;
    static final int MAX_ATTRIBUTE_VALUE_CHARS = 8192;

    private final JsonParser p;
    private final PacketParser.Violations violations;
    private final Limits limits;

    MessageReader(JsonParser p, PacketParser.Violations violations, Limits limits) {
        this.p = p;
        this.violations = violations;
        this.limits = limits;
    }

    /** The message whose first token is current, or null (with violations recorded) when it is invalid. */
    LogMessage read(int index) throws IOException {
        String at = "messages[" + index + "]";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            violations.add(at, "must be a log message object");
            p.skipChildren();
            return null;
        }
        int before = violationCount();
        String timestamp = null;
        Level level = null;
        String source = null;
        String service = null;
        String message = null;
        Map<String, String> attributes = Map.of();
        boolean sawTimestamp = false;
        boolean sawLevel = false;
        boolean sawMessage = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            String path = at + "." + field;
            switch (field) {
                case "timestamp" -> {
                    sawTimestamp = true;
                    timestamp = timestamp(value, path);
                }
                case "level" -> {
                    sawLevel = true;
                    level = level(value, path);
                }
                case "message" -> {
                    sawMessage = true;
                    message = text(value, path);
                }
                case "source" -> source = optionalName(value, path);
                case "service" -> service = optionalName(value, path);
                case "attributes" -> attributes = attributes(value, path);
                default -> {
                    violations.add(path, "unknown field (a message has timestamp, level, message, source, service"
                            + " and attributes)");
                    p.skipChildren();
                }
            }
        }
        requirePresent(sawTimestamp, at + ".timestamp");
        requirePresent(sawLevel, at + ".level");
        requirePresent(sawMessage, at + ".message");
        if (violationCount() != before) {
            return null;
        }
        return new LogMessage(timestamp, level, source, service, message, attributes);
    }

    private int violationCount() {
        return violations.total();
    }

    private void requirePresent(boolean seen, String path) {
        if (!seen) {
            violations.add(path, "is required");
        }
    }

    private String timestamp(JsonToken value, String path) throws IOException {
        String text = Fields.string(p, value, path, violations, 64);
        if (text == null) {
            return null;
        }
        if (Timestamps.valid(text)) {
            return text;
        }
        violations.add(path, "must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:00:00.123Z; got '"
                + text + "'");
        return null;
    }

    private Level level(JsonToken value, String path) throws IOException {
        String text = Fields.string(p, value, path, violations, 16);
        if (text == null) {
            return null;
        }
        Level level = Level.parse(text);
        if (level == null) {
            violations.add(path, "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (any case); got '" + text + "'");
        }
        return level;
    }

    private String text(JsonToken value, String path) throws IOException {
        String text = Fields.string(p, value, path, violations, limits.maxMessageChars());
        if (text != null && text.isBlank()) {
            violations.add(path, "must not be empty");
            return null;
        }
        return text;
    }

    private String optionalName(JsonToken value, String path) throws IOException {
        return value == JsonToken.VALUE_NULL ? null : Fields.string(p, value, path, violations, MAX_NAME_CHARS);
    }

    private Map<String, String> attributes(JsonToken value, String path) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (value != JsonToken.START_OBJECT) {
            violations.add(path, "must be an object of string values");
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String keyPath = path + "." + key;
            JsonToken v = p.nextToken();
            if (attributes.size() == limits.maxAttributes()) {
                violations.add(path, "has more than " + limits.maxAttributes() + " attributes (distributor.max-attributes)");
                p.skipChildren();
                skipRestOfObject();
                return attributes;
            }
            if (key.isEmpty() || key.length() > MAX_NAME_CHARS) {
                violations.add(keyPath, "attribute names must be 1 to " + MAX_NAME_CHARS + " characters");
                p.skipChildren();
                continue;
            }
            String text = Fields.string(p, v, keyPath, violations, MAX_ATTRIBUTE_VALUE_CHARS);
            if (text != null) {
                attributes.put(key, text);
            }
        }
        return attributes;
    }

    private void skipRestOfObject() throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
            p.skipChildren();
        }
    }
}
