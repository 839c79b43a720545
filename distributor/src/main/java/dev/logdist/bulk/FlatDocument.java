package dev.logdist.bulk;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.logdist.validation.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Maps a flat bulk document (every value a string, an integer, a boolean or null: the shape of nearly every
 * shipper's documents) onto a native message in one streaming pass, without building a tree. Anything else gives
 * up ({@code null}) and goes to {@link DocumentMapper}, which reads the tree, decides and says why: nested objects,
 * arrays, fractions, a timestamp that is not ISO-8601 with an offset, a field named twice, anything it would refuse,
 * anything that is not one JSON object. For every document it maps, the answer is {@link DocumentMapper}'s.
 */
final class FlatDocument {

    private final JsonFactory json;
    private final int maxAttributes;

    FlatDocument(int maxStringChars, int maxAttributes) {
        // no duplicate detection by Jackson (a hash set per document): a repeated name is found below and given up on
        this.json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(maxStringChars).build()).build();
        this.maxAttributes = maxAttributes;
    }

    /** The message of the document in {@code body[start, start + length)}, or null when this cannot tell. */
    DocumentMapper.Mapped map(byte[] body, int start, int length, String receivedAt) {
        Fields fields = new Fields();
        try (JsonParser p = json.createParser(body, start, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                String value = switch (token) {
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null
                            : Long.toString(p.getLongValue());
                    case VALUE_TRUE -> "true";
                    case VALUE_FALSE -> "false";
                    default -> null; // null, and what gives up below
                }; 
                boolean usable = value != null || token == JsonToken.VALUE_NULL;
                if (!usable || fields.has(name)) {
                    return null;
                }
                fields.add(name, value, token);
            }
            if (p.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return fields.mapped(receivedAt, maxAttributes);
    }

    /** A flat document's fields in order: name, value (null for JSON null) and whether the value was a string. */
    private static final class Fields {
        private String[] names = new String[12];
        private String[] values = new String[12];
        private JsonToken[] tokens = new JsonToken[12];
        private boolean[] used = new boolean[12];
        private int count;

        void add(String name, String value, JsonToken token) {
            if (count == names.length) {
                names = java.util.Arrays.copyOf(names, 2 * count);
                values = java.util.Arrays.copyOf(values, 2 * count);
                tokens = java.util.Arrays.copyOf(tokens, 2 * count);
                used = java.util.Arrays.copyOf(used, 2 * count);
            }
            names[count] = name;
            values[count] = value;
            tokens[count] = token;
            count++;
        }

        boolean has(String name) {
            return find(name) >= 0;
        }

        private int find(String name) {
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /** The field's index, marked used (it leaves the attributes), or -1. */
        private int take(String name) {
            int i = find(name);
            if (i >= 0) {
                used[i] = true;
            }
            return i;
        }

        /** DocumentMapper's rules, in its order, on a document known to be flat; null where it would refuse or convert. */
        DocumentMapper.Mapped mapped(String receivedAt, int maxAttributes) {
            String timestamp = receivedAt;
            int time = take("@timestamp");
            if (time >= 0 && values[time] != null) {
                timestamp = timestamp(values[time], tokens[time]);
                if (timestamp == null) {
                    return null;
                }
            }
            int message = take("message");
            if (message < 0) {
                int log = find("log");
                message = log >= 0 && tokens[log] == JsonToken.VALUE_STRING ? take("log") : -1;
            }
            if (message < 0 || values[message] == null) {
                return null;
            }
            String rawLevel = named("log.level", null);
            if (rawLevel == null) {
                int level = take("level");
                rawLevel = level < 0 ? null : values[level];
            }
            String level = rawLevel == null ? "INFO" : EsLevels.of(rawLevel);
            if (level == null) {
                return null;
            }
            String source = named("host.name", "host");
            String service = named("service.name", "service");
            DocumentAttributes attributes = new DocumentAttributes(maxAttributes);
            for (int i = 0; i < count; i++) {
                if (!used[i] && values[i] != null) {
                    attributes.add(names[i], values[i]);
                }
            }
            return new DocumentMapper.Mapped(timestamp, level, values[message], source, service, attributes.result(),
                    null, null);
        }

        /** A flat {@code a.b} field (taken whatever its value), else a plain string {@code a} when given (taken if used). */
        private String named(String flat, String plain) {
            int f = take(flat);
            if (f >= 0 && values[f] != null) {
                return values[f];
            }
            int p = plain == null ? -1 : find(plain);
            if (p >= 0 && tokens[p] == JsonToken.VALUE_STRING) {
                used[p] = true;
                return values[p];
            }
            return null;
        }

        /** An ISO-8601 date-time with an offset as it is, epoch milliseconds as ISO; anything else for the tree. */
        private static String timestamp(String value, JsonToken token) {
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(Long.parseLong(value)));
            }
            return token == JsonToken.VALUE_STRING && Timestamps.valid(value) ? value : null;
        }
    }
}
