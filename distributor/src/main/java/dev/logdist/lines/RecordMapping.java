package dev.logdist.lines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logdist.config.DistributorConfig.Lines;
import dev.logdist.ingest.FlatObject;
import dev.logdist.ingest.NativePacket;
import dev.logdist.model.Level;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes a JSON record a native message by the configured field names, first found first: its timestamp (epoch
 * seconds, number or string, with a fraction, or ISO-8601), message, level (ours or a syslog severity name; the
 * default level when none), source and service; every other key becomes an attribute, its value as text. What the
 * native limits forbid is trimmed by one rule: attribute names of 1 to {@value #MAX_NAME_CHARS} characters, values
 * cut at {@value #MAX_VALUE_CHARS} characters, the first {@code distributor.max-attributes} keys in the record's order.
 */
final class RecordMapping {

    /** The validator's limits of an attribute's name and value (its MessageReader). */
    static final int MAX_NAME_CHARS = 256;
    static final int MAX_VALUE_CHARS = 8192;

    /** The native fields a record's keys are mapped to, in the order of {@link #keysFor}. */
    static final List<String> FIELDS = List.of("timestamp", "message", "level", "source", "service");

    private final Lines names;
    private final int maxAttributes;
    private final Supplier<Instant> clock;

    RecordMapping(Lines names, int maxAttributes, Supplier<Instant> clock) {
        this.names = names;
        this.maxAttributes = maxAttributes;
        this.clock = clock;
    }

    /** Writes record {@code item} as a message of {@code packet}, or refuses it there, naming the record's key. */
    void write(NativePacket packet, int item, ObjectNode record) {
        Found timestamp = find(record, names.timestampFields());
        Found message = find(record, names.messageFields());
        Found level = find(record, names.levelFields());
        Found source = find(record, names.sourceFields());
        Found service = find(record, names.serviceFields());
        String time = timestamp == null ? Epoch.iso(clock.get()) : Epoch.timestamp(timestamp.value);
        if (time == null) {
            packet.refuse(item, path(item, timestamp.key), "must be epoch seconds (a number or a string of one, with a"
                    + " fraction) or an ISO-8601 date-time with an offset; got " + shortened(timestamp.value));
            return;
        }
        if (message == null) {
            packet.refuse(item, path(item, names.messageFields().get(0)),
                    "is required: a record needs one of " + String.join(", ", names.messageFields()));
            return;
        }
        String levelName = names.defaultLevel().name();
        if (level != null) {
            Level parsed = level.value.isTextual() ? Level.parse(level.value.asText()) : null;
            if (parsed == null) {
                packet.refuse(item, path(item, level.key), "must be one of " + Level.NAMES + " (any case); got "
                        + shortened(level.value));
                return;
            }
            levelName = parsed.name();
        }
        packet.message(item, time, levelName, text(message.value), source == null ? null : text(source.value),
                service == null ? null : text(service.value),
                attributes(record, timestamp, message, level, source, service));
    }

    /**
     * Writes a flat record as {@link #write} writes its tree, when it is taken as it is; false, with nothing written,
     * where {@link #write} would refuse it (the tree then says why, naming the record's key).
     */
    boolean writeFlat(NativePacket packet, int item, FlatObject record) {
        int timestamp = find(record, names.timestampFields());
        int message = find(record, names.messageFields());
        int level = find(record, names.levelFields());
        int source = find(record, names.sourceFields());
        int service = find(record, names.serviceFields());
        String time;
        if (timestamp < 0) {
            time = Epoch.iso(clock.get());
        } else if (record.isString(timestamp)) {
            time = Epoch.timestamp(record.value(timestamp));
        } else {
            time = record.isInteger(timestamp) ? Epoch.timestamp(record.integer(timestamp)) : null;
        }
        if (time == null || message < 0) {
            return false;
        }
        String levelName = names.defaultLevel().name();
        if (level >= 0) {
            Level parsed = record.isString(level) ? Level.parse(record.value(level)) : null;
            if (parsed == null) {
                return false;
            }
            levelName = parsed.name();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < record.size() && attributes.size() < maxAttributes; i++) {
            String key = record.key(i);
            if (i == timestamp || i == message || i == level || i == source || i == service || record.value(i) == null
                    || key.isEmpty() || key.length() > MAX_NAME_CHARS) {
                continue;
            }
            attributes.put(key, cut(record.value(i)));
        }
        packet.message(item, time, levelName, record.value(message), source < 0 ? null : record.value(source),
                service < 0 ? null : record.value(service), attributes);
        return true;
    }

    /** The place of the first of {@code keys} the flat record has with a value that is not null, or -1. */
    private static int find(FlatObject record, List<String> keys) {
        for (String key : keys) {
            int i = record.indexOf(key);
            if (i >= 0 && record.value(i) != null) {
                return i;
            }
        }
        return -1;
    }

    /** The record keys that fed each of {@link #FIELDS} in {@code record}, or the field's first name when none did. */
    Map<String, String> keysFor(ObjectNode record) {
        Map<String, String> keys = new LinkedHashMap<>();
        List<List<String>> lists = List.of(names.timestampFields(), names.messageFields(), names.levelFields(),
                names.sourceFields(), names.serviceFields());
        for (int f = 0; f < FIELDS.size(); f++) {
            Found found = record == null ? null : find(record, lists.get(f));
            keys.put(FIELDS.get(f), found == null ? lists.get(f).get(0) : found.key);
        }
        return keys;
    }

    /** Where an item's key is, as a refusal names it: {@code [3].severity}. */
    static String path(int item, String key) {
        return "[" + item + "]." + key;
    }

    private Map<String, String> attributes(ObjectNode record, Found... used) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext() && attributes.size() < maxAttributes; ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (isUsed(key, used) || e.getValue().isNull() || key.isEmpty() || key.length() > MAX_NAME_CHARS) {
                continue;
            }
            attributes.put(key, cut(text(e.getValue())));
        }
        return attributes;
    }

    private static boolean isUsed(String key, Found... used) {
        for (Found f : used) {
            if (f != null && f.topKey.equals(key) && f.topLevel) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first of {@code keys} the record has with a value that is not null; a dotted key ({@code log.level}) is
     * looked up as it is, then as a path into nested objects.
     */
    private static Found find(ObjectNode record, List<String> keys) {
        for (String key : keys) {
            JsonNode value = record.get(key);
            if (value != null && !value.isNull()) {
                return new Found(key, key, true, value);
            }
            if (key.indexOf('.') > 0) {
                JsonNode nested = record;
                for (String part : key.split("\\.")) {
                    nested = nested.path(part);
                }
                if (!nested.isMissingNode() && !nested.isNull() && !nested.isContainerNode()) {
                    return new Found(key, key.substring(0, key.indexOf('.')), false, nested);
                }
            }
        }
        return null;
    }

    /** A value as text: a string as it is, a number or boolean as JSON writes it, an object or array as compact JSON. */
    static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBigDecimal()) {
            return value.decimalValue().toPlainString();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String cut(String value) {
        if (value.length() <= MAX_VALUE_CHARS) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_VALUE_CHARS - 1)) ? MAX_VALUE_CHARS - 1 : MAX_VALUE_CHARS;
        return value.substring(0, end);
    }

    private static String shortened(JsonNode value) {
        String text = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    /** A key found in a record: as configured, the top-level key it sits under, and its value. */
    private record Found(String key, String topKey, boolean topLevel, JsonNode value) {
    }
}
