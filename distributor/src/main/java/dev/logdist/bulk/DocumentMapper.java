package dev.logdist.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Maps one bulk document onto a native message: {@code @timestamp}, {@code message}, the level ({@code log.level},
 * flat or nested, else {@code level}), the source ({@code host.name}, flat or nested, or a plain {@code host}) and the
 * service ({@code service.name} likewise); every other field becomes an attribute, nested objects flattened to dotted
 * names and values stringified, within the native limits ({@link DocumentAttributes}). What Elasticsearch users expect of a
 * document that names no time or level: the time of receipt, and INFO.
 */
final class DocumentMapper {

    /** A document as a native message's fields, or why it cannot be one ({@code errorType}, {@code reason}). */
    record Mapped(String timestamp, String level, String message, String source, String service,
                  Map<String, String> attributes, String errorType, String reason) {

        static Mapped refused(String type, String reason) {
            return new Mapped(null, null, null, null, null, null, type, reason);
        }

        boolean isRefused() {
            return errorType != null;
        }
    }

    private final int maxAttributes;

    DocumentMapper(int maxAttributes) {
        this.maxAttributes = maxAttributes;
    }

    /** The message of {@code doc} (which this consumes: its mapped fields are removed), received at {@code receivedAt}. */
    Mapped map(ObjectNode doc, String receivedAt) {
        String timestamp;
        JsonNode time = doc.remove("@timestamp");
        if (time == null || time.isNull()) {
            timestamp = receivedAt;
        } else {
            timestamp = timestamp(time);
            if (timestamp == null) {
                return Mapped.refused("mapper_parsing_exception", "failed to parse field [@timestamp] of type [date]:"
                        + " expected an ISO-8601 date-time or epoch milliseconds as a number, got " + shortText(time));
            }
        }
        JsonNode messageNode = doc.remove("message");
        if (messageNode == null && doc.path("log").isTextual()) {
            messageNode = doc.remove("log"); // Fluent Bit's tail and docker inputs call the line "log"
        }
        if (messageNode == null || messageNode.isNull()) {
            return Mapped.refused("mapper_parsing_exception", "field [message] is required: a log document needs its text");
        }
        if (!messageNode.isValueNode()) {
            return Mapped.refused("mapper_parsing_exception", "field [message] must be a string, got an "
                    + (messageNode.isArray() ? "array" : "object"));
        }
        String rawLevel = named(doc, "log", "level");
        if (rawLevel == null) {
            JsonNode level = doc.remove("level");
            rawLevel = level == null || level.isNull() ? null : level.asText();
        }
        String level = rawLevel == null ? "INFO" : EsLevels.of(rawLevel);
        if (level == null) {
            return Mapped.refused("illegal_argument_exception", "field [log.level] must be a level such as TRACE, DEBUG,"
                    + " INFO, WARN, ERROR, FATAL or a syslog severity (notice, warning, err, crit, 0..7), got '"
                    + rawLevel + "'");
        }
        String source = named(doc, "host", "name");
        String service = named(doc, "service", "name");
        DocumentAttributes attributes = new DocumentAttributes(maxAttributes);
        attributes.flatten("", doc);
        return new Mapped(timestamp, level, messageNode.asText(), source, service, attributes.result(), null, null);
    }

    /**
     * The value of {@code <object>.<field>}, flat ({@code "host.name"}) or nested ({@code "host": {"name": ..}}),
     * or {@code <object>} itself when it is a plain string ({@code "host": "web-1"}); removed from the document.
     */
    private static String named(ObjectNode doc, String object, String field) {
        JsonNode flat = doc.remove(object + "." + field);
        if (flat != null && !flat.isNull() && flat.isValueNode()) {
            return flat.asText();
        }
        JsonNode parent = doc.get(object);
        if (parent != null && parent.isObject()) {
            JsonNode nested = ((ObjectNode) parent).remove(field);
            if (parent.isEmpty()) {
                doc.remove(object);
            }
            if (nested != null && !nested.isNull() && nested.isValueNode()) {
                return nested.asText();
            }
        } else if (parent != null && parent.isTextual() && !object.equals("log")) {
            doc.remove(object);
            return parent.asText();
        }
        return null;
    }

    /** An ISO-8601 date-time with an offset; one without is taken as UTC, a date alone as its midnight UTC. */
    static String timestamp(JsonNode time) {
        if (time.isIntegralNumber() && time.canConvertToLong()) {
            return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(time.asLong()));
        }
        if (!time.isTextual()) {
            return null;
        }
        String text = time.asText().trim();
        try {
            OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return text;
        } catch (DateTimeParseException notWithOffset) {
            // try the shapes Elasticsearch's strict_date_optional_time also takes
        }
        try {
            return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atOffset(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException notLocal) {
            // a date alone?
        }
        try {
            return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static String shortText(JsonNode node) {
        String text = node.toString();
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
