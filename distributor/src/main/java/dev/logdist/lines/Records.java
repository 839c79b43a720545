package dev.logdist.lines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logdist.ingest.FlatObject;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a body of JSON lines (one record per line; blank lines are no record, a line may end in CRLF) or a JSON
 * array of records into its records, by index. A line that is not a JSON object is refused on its own; an array that
 * is not JSON is the whole request's 400, since its records cannot be told apart past the fault.
 */
final class Records {

    /**
     * One record: the object, or why the item at its place is none ({@code problem}). A flat record ({@link #flat})
     * is read as a tree only when asked for one ({@link #record}), for a refusal naming its keys.
     */
    static final class Item {
        private final String problem;
        private final FlatObject flat;
        private final Records source;
        private final byte[] body;
        private final int offset;
        private final int length;
        private ObjectNode record;

        Item(ObjectNode record, String problem) {
            this(record, problem, null, null, null, 0, 0);
        }

        private Item(ObjectNode record, String problem, FlatObject flat, Records source, byte[] body, int offset,
                     int length) {
            this.record = record;
            this.problem = problem;
            this.flat = flat;
            this.source = source;
            this.body = body;
            this.offset = offset;
            this.length = length;
        }

        /** The record as a tree, or null when the item is none. */
        ObjectNode record() {
            if (record == null && flat != null) {
                record = source.tree(body, offset, length);
            }
            return record;
        }

        /** Why the item is no record, or null. */
        String problem() {
            return problem;
        }

        /** The record read flat, or null when it is not flat (or is none). */
        FlatObject flat() {
            return flat;
        }
    }

    private static final String OVER_LIMITS = "is nested too deep or holds too long a string or number"
            + " (distributor.max-json-depth, distributor.max-json-string-chars)";

    private final JsonFactory factory;
    private final ObjectMapper json;
    /** Reads one element of an array: what follows it is the array's. */
    private final ObjectReader element;
    private final int maxRecords;

    /** {@code factory} carries the JSON limits (depth, string length) of the native packets; it is this one's own. */
    Records(JsonFactory factory, int maxRecords) {
        this.factory = factory;
        this.json = new ObjectMapper(factory)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.element = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxRecords = maxRecords;
    }

    /** The records of a body of JSON lines (UTF-8, its BOM already gone). */
    List<Item> lines(byte[] body) {
        List<Item> items = new ArrayList<>();
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int last = end;
            while (last > start && (body[last - 1] == '\r' || body[last - 1] == ' ' || body[last - 1] == '\t')) {
                last--;
            }
            if (!blank(body, start, last)) {
                if (items.size() == maxRecords) {
                    throw tooMany();
                }
                items.add(line(body, start, last - start));
            }
            start = end + 1;
        }
        if (items.isEmpty()) {
            throw new PacketRejectedException(400, "the body holds no record: every line is blank",
                    List.of(new Violation("$", "at least one JSON object, one per line, is required")));
        }
        return items;
    }

    /** The records of a body that is one JSON array (UTF-8, its BOM already gone). */
    List<Item> array(byte[] body) {
        List<Item> items = new ArrayList<>();
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new PacketRejectedException(400, "the body is not a JSON array of records",
                        List.of(new Violation("$", "must be a JSON array")));
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (items.size() == maxRecords) {
                    throw tooMany();
                }
                if (p.currentToken() == JsonToken.START_OBJECT) {
                    items.add(new Item((ObjectNode) element.readTree(p), null));
                } else {
                    p.skipChildren();
                    items.add(new Item(null, "must be a JSON object (a record), got " + kind(p.currentToken())));
                }
            }
            if (p.nextToken() != null) {
                throw new PacketRejectedException(400, "unexpected content after the array of records",
                        List.of(new Violation("$", "one JSON array is expected")));
            }
        } catch (StreamConstraintsException e) {
            throw new PacketRejectedException(400, "the array of records is over the JSON limits" + where(e),
                    List.of(new Violation("$", OVER_LIMITS)));
        } catch (JsonProcessingException e) {
            throw new PacketRejectedException(400, "the body is not a valid JSON array of records" + where(e),
                    List.of(new Violation("$", firstLine(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw new PacketRejectedException(400, "the body could not be read",
                    List.of(new Violation("$", firstLine(e.getMessage()))));
        }
        if (items.isEmpty()) {
            throw new PacketRejectedException(400, "the array holds no record",
                    List.of(new Violation("$", "at least one record is required")));
        }
        return items;
    }

    private Item line(byte[] body, int offset, int length) {
        FlatObject flat = FlatObject.read(factory, body, offset, length);
        if (flat != null) {
            return new Item(null, null, flat, this, body, offset, length);
        }
        try {
            JsonNode node = json.readTree(body, offset, length);
            return node instanceof ObjectNode object ? new Item(object, null)
                    : new Item(null, "must be a JSON object (a record), got " + kind(node.asToken()));
        } catch (StreamConstraintsException e) {
            return new Item(null, OVER_LIMITS);
        } catch (JsonProcessingException e) {
            // the parser's own message names the fault; its source excerpt is left out
            return new Item(null, "is not JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return new Item(null, "could not be read: " + firstLine(e.getMessage()));
        }
    }

    /** A line known to hold one JSON object (it was read flat) as a tree. */
    private ObjectNode tree(byte[] body, int offset, int length) {
        try {
            return (ObjectNode) json.readTree(body, offset, length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private PacketRejectedException tooMany() {
        return new PacketRejectedException(400, "the body holds more than " + maxRecords
                + " records, the most one request may carry (distributor.max-messages-per-packet)",
                List.of(new Violation("$", "more than " + maxRecords + " records")));
    }

    private static boolean blank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String kind(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
