package dev.logdist.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What a packet's JSON may be before any field is looked at: UTF-8 only (RFC 8259; Jackson would otherwise
 * accept UTF-16 and UTF-32 that the analyzers cannot read), nested at most {@code distributor.max-json-depth} levels,
 * no string or field name longer than {@code distributor.max-json-string-chars}; a breach is a 400 naming where.
 */
public final class JsonGuard {

    static final int MAX_NUMBER_CHARS = 100;
    private static final int MAX_PATH_CHARS = 200;

    private final int maxDepth;
    private final int maxStringChars;

    public JsonGuard(int maxDepth, int maxStringChars) {
        this.maxDepth = maxDepth;
        this.maxStringChars = maxStringChars;
    }

    int maxDepth() {
        return maxDepth;
    }

    int maxStringChars() {
        return maxStringChars;
    }

    /** A parser factory that enforces these limits; the packet and message readers refuse repeated names. */
    public JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(maxStringChars)
                        .maxNameLength(maxStringChars)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .build())
                .build();
    }

    /**
     * Whether JSON nested {@code depth} levels deep, none of whose strings or names is longer than {@code longest},
     * is within these limits.
     */
    boolean admits(int depth, int longest) {
        return depth <= maxDepth && longest <= maxStringChars;
    }

    /** The body without a UTF-8 byte order mark, or a 400 when it is UTF-16 or UTF-32 (a BOM or a zero byte up front). */
    public static byte[] utf8(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            return java.util.Arrays.copyOfRange(body, 3, body.length);
        }
        boolean wide = body.length >= 2 && ((body[0] & 0xff) == 0xfe || (body[0] & 0xff) == 0xff);
        for (int i = 0; i < Math.min(4, body.length) && !wide; i++) {
            wide = body[i] == 0;
        }
        if (wide) {
            throw new PacketRejectedException(400, "the body must be JSON in UTF-8",
                    List.of(new Violation("$", "UTF-16 or UTF-32 text (or a zero byte) where UTF-8 JSON was expected")));
        }
        return body;
    }

    /** The 400 for a limit Jackson enforced while {@code p} was reading. */
    public PacketRejectedException rejected(StreamConstraintsException e, JsonParser p) {
        String message = String.valueOf(e.getMessage());
        String problem;
        if (message.contains("NestingDepth")) {
            problem = "nested deeper than " + maxDepth + " levels (distributor.max-json-depth)";
        } else if (message.contains("NumberLength")) {
            problem = "a number longer than " + MAX_NUMBER_CHARS + " characters";
        } else if (message.contains("NameLength")) {
            problem = "a field name longer than " + maxStringChars + " characters (distributor.max-json-string-chars)";
        } else {
            problem = "a string longer than " + maxStringChars + " characters (distributor.max-json-string-chars)";
        }
        return new PacketRejectedException(400, "the body is over a JSON limit: " + problem,
                List.of(new Violation(path(p), problem)));
    }

    /** Where {@code p} is, as the violation paths name fields: {@code messages[3].attributes.key}; "$" at the top. */
    static String path(JsonParser p) {
        if (p == null) {
            return "$";
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push((c.getParent() != null && c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        if (path.isEmpty() || path.startsWith("[")) {
            path = "$" + path;
        }
        return path.length() > MAX_PATH_CHARS ? path.substring(0, MAX_PATH_CHARS) + "..." : path;
    }
}
