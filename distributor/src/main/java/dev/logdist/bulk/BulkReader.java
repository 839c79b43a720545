package dev.logdist.bulk;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the newline-delimited body of a bulk request into its items, an action line and, for {@code index},
 * {@code create} and {@code update}, the document line after it, each document mapped to a native message on the way
 * ({@link FlatDocument} in one streaming pass where it can, else {@link DocumentMapper} on its tree). What breaks the
 * pairing of actions and documents (an action line that is not an action) refuses the whole request, as
 * Elasticsearch does; a bad document refuses only its item. The last line needs no newline after it (Elasticsearch
 * insists on one; no shipper gains from that).
 */
final class BulkReader {

    /** The index an item is answered with when neither its action line nor the path names one. */
    static final String DEFAULT_INDEX = "logdist";
    private static final java.util.Set<String> ACTIONS = java.util.Set.of("create", "delete", "index", "update");

    private final ObjectMapper json;
    private final FlatDocument flat;
    private final DocumentMapper mapper;
    private final int maxItems;

    BulkReader(int maxDepth, int maxStringChars, int maxItems, int maxAttributes) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth).maxStringLength(maxStringChars).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        // one JSON value per line: anything after it on the line is an error, as a repeated field is (as in Elasticsearch)
        this.json = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.flat = new FlatDocument(maxStringChars, maxAttributes);
        this.mapper = new DocumentMapper(maxAttributes);
        this.maxItems = maxItems;
    }

    /**
     * The items of {@code body}; {@code pathIndex} is the index the request path names, or null; a document without a
     * time gets {@code receivedAt}.
     */
    List<BulkItem> read(byte[] body, String pathIndex, String receivedAt) {
        List<BulkItem> items = new ArrayList<>();
        String ids = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        Lines lines = new Lines(body);
        while (lines.next()) {
            if (lines.blank()) {
                continue;
            }
            if (items.size() == maxItems) {
                throw new BulkRejectedException(400, "illegal_argument_exception", "the bulk request holds more than "
                        + maxItems + " actions, the most one request may carry (distributor.max-messages-per-packet)");
            }
            int actionLine = lines.number();
            Action action = plainAction(lines.bytes(), lines.start(), lines.start() + lines.length());
            if (action == null) {
                action = action(lines, actionLine);
            }
            String op = action.op();
            String index = action.index() != null ? action.index() : pathIndex != null ? pathIndex : DEFAULT_INDEX;
            String id = action.id() != null ? action.id() : ids + "-" + items.size();
            switch (op) {
                case "delete" -> items.add(BulkItem.refused(op, index, id, "illegal_argument_exception",
                        "[delete] actions are not supported: the distributor takes log documents (index or create)"));
                default -> items.add(document(lines, op, index, id, actionLine, receivedAt)); // index, create, update
            }
        }
        if (items.isEmpty()) {
            throw new BulkRejectedException(400, "parse_exception", "request body is required: no action in the bulk request");
        }
        return items;
    }

    /** An action line's operation and the {@code _index} and {@code _id} it names (null when it names none). */
    record Action(String op, String index, String id) {
    }

    /**
     * The everyday action line, compact JSON whose metadata values are plain strings
     * ({@code {"index":{"_index":"logs","_id":"7"}}}), read off its bytes; null for anything else (whitespace, escapes,
     * other values, a name repeated), which {@link #action} reads as a tree and explains.
     */
    static Action plainAction(byte[] b, int start, int end) {
        int i = start;
        if (end - i < 7 || b[i++] != '{' || b[i++] != '"') {
            return null;
        }
        int opEnd = plain(b, i, end);
        if (opEnd < 0 || opEnd + 3 > end || b[opEnd + 1] != ':' || b[opEnd + 2] != '{') {
            return null;
        }
        String op = ascii(b, i, opEnd);
        if (!ACTIONS.contains(op)) {
            return null;
        }
        i = opEnd + 3;
        String index = null;
        String id = null;
        List<String> names = new ArrayList<>(4);
        while (i < end && b[i] != '}') {
            if (!names.isEmpty() && b[i++] != ',') {
                return null;
            }
            if (i >= end || b[i++] != '"') {
                return null;
            }
            int nameEnd = plain(b, i, end);
            if (nameEnd < 0 || nameEnd + 3 >= end || b[nameEnd + 1] != ':' || b[nameEnd + 2] != '"') {
                return null;
            }
            String name = ascii(b, i, nameEnd);
            int valueEnd = plain(b, nameEnd + 3, end);
            if (valueEnd < 0 || names.contains(name)) {
                return null;
            }
            names.add(name);
            if (name.equals("_index")) {
                index = ascii(b, nameEnd + 3, valueEnd);
            } else if (name.equals("_id")) {
                id = ascii(b, nameEnd + 3, valueEnd);
            }
            i = valueEnd + 1;
        }
        return end - i == 2 && b[i] == '}' && b[i + 1] == '}' ? new Action(op, index, id) : null;
    }

    /** Where the plain string starting at {@code from} ends (its closing quote): printable ASCII, no escapes; else -1. */
    private static int plain(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c < 0x20 || c > 0x7e || c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private Action action(Lines lines, int line) {
        JsonNode node;
        try {
            node = json.readTree(lines.bytes(), lines.start(), lines.length());
        } catch (IOException e) {
            throw new BulkRejectedException(400, "parse_exception", "Malformed action/metadata line [" + line
                    + "]: not JSON (" + firstLine(e) + ")");
        }
        if (node != null && node.isObject() && node.size() == 1 && !ACTIONS.contains(node.fieldNames().next())) {
            throw new BulkRejectedException(400, "illegal_argument_exception", "Malformed action/metadata line [" + line
                    + "], expected one of [create, delete, index, update] but found [" + node.fieldNames().next() + "]");
        }
        if (node == null || !node.isObject() || node.size() != 1 || !node.elements().next().isObject()) {
            throw new BulkRejectedException(400, "illegal_argument_exception", "Malformed action/metadata line [" + line
                    + "], expected an object with one action (create, delete, index, update) holding an object");
        }
        String op = node.fieldNames().next();
        JsonNode meta = node.get(op);
        return new Action(op, meta.path("_index").isTextual() ? meta.get("_index").asText() : null,
                meta.path("_id").isTextual() ? meta.get("_id").asText() : null);
    }

    private BulkItem document(Lines lines, String op, String index, String id, int actionLine, String receivedAt) {
        if (!lines.next() || lines.blank()) {
            return BulkItem.refused(op, index, id, "action_request_validation_exception", "the [" + op
                    + "] action on line [" + actionLine + "] is not followed by a document line");
        }
        if (op.equals("update")) {
            return BulkItem.refused(op, index, id, "illegal_argument_exception",
                    "[update] actions are not supported: the distributor takes log documents (index or create)");
        }
        DocumentMapper.Mapped plain = flat.map(lines.bytes(), lines.start(), lines.length(), receivedAt);
        if (plain != null) {
            return BulkItem.taken(op, index, id, plain);
        }
        try {
            JsonNode doc = json.readTree(lines.bytes(), lines.start(), lines.length());
            if (doc == null || !doc.isObject()) {
                return BulkItem.refused(op, index, id, "mapper_parsing_exception", "the document on line ["
                        + lines.number() + "] is not a JSON object");
            }
            DocumentMapper.Mapped m = mapper.map((ObjectNode) doc, receivedAt);
            return m.isRefused() ? BulkItem.refused(op, index, id, m.errorType(), m.reason())
                    : BulkItem.taken(op, index, id, m);
        } catch (IOException e) {
            return BulkItem.refused(op, index, id, "mapper_parsing_exception", "failed to parse the document on line ["
                    + lines.number() + "]: " + firstLine(e));
        }
    }

    private static String firstLine(IOException e) {
        String text = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (text == null) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** The lines of a body, by offsets into it (no copies); a line ends at '\n', its '\r' before it ignored. */
    private static final class Lines {
        private final byte[] body;
        private int next;
        private int start;
        private int end;
        private int number;

        Lines(byte[] body) {
            this.body = body;
        }

        boolean next() {
            if (next >= body.length) {
                return false;
            }
            start = next;
            int nl = start;
            while (nl < body.length && body[nl] != '\n') {
                nl++;
            }
            next = nl + 1;
            end = nl > start && body[nl - 1] == '\r' ? nl - 1 : nl;
            number++;
            return true;
        }

        boolean blank() {
            for (int i = start; i < end; i++) {
                if (body[i] != ' ' && body[i] != '\t') {
                    return false;
                }
            }
            return true;
        }

        byte[] bytes() {
            return body;
        }

        int start() {
            return start;
        }

        int length() {
            return end - start;
        }

        int number() {
            return number;
        }
    }
}
