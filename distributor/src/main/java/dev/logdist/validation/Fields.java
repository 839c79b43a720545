package dev.logdist.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Checks shared by the packet and message readers: ids and bounded strings. */
final class Fields {

    private Fields() {
    }

    /**
     * An id ({@code agentId}, {@code packetId}): 1 to 128 visible characters; a packet id may not contain '#',
     * which marks the parts of a split packet. Returns null, with a violation where one is due, when unusable.
     */
    static String id(JsonParser p, JsonToken value, Object path, PacketParser.Violations violations, boolean required)
            throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            if (required) {
                violations.add(path, "is required");
            }
            return null;
        }
        String text = string(p, value, path, violations, PacketParser.MAX_ID_CHARS);
        if (text == null) {
            return null;
        }
        if (!usable(text)) {
            violations.add(path, "must be 1 to " + PacketParser.MAX_ID_CHARS + " visible characters without spaces");
            return null;
        }
        if ("packetId".equals(path) && text.indexOf('#') >= 0) {
            violations.add(path, "may not contain '#', which marks the parts of a split packet");
            return null;
        }
        return text;
    }

    /** The string value, or null with a violation when it is not a string or longer than {@code maxChars}. */
    static String string(JsonParser p, JsonToken value, Object path, PacketParser.Violations violations, int maxChars)
            throws IOException {
        if (!isString(p, value, path, violations)) {
            return null;
        }
        // getText() first: it applies the parser's own string limit (distributor.max-json-string-chars)
        String text = p.getText();
        return fits(text.length(), path, violations, maxChars) ? text : null;
    }

    /**
     * The length of the string value in UTF-16 units, checked on the parser's characters without making a String, or
     * -1 with a violation when it is not a string or longer than {@code maxChars}.
     */
    static int length(JsonParser p, JsonToken value, Object path, PacketParser.Violations violations, int maxChars)
            throws IOException {
        if (!isString(p, value, path, violations)) {
            return -1;
        }
        int length = p.getTextLength();
        // the parser's own string limit, every time: Jackson applies it to a length only when the string outgrew the
        // text buffer it recycled, so that two readings of one packet could disagree on which fault to name
        p.streamReadConstraints().validateStringLength(length);
        return fits(length, path, violations, maxChars) ? length : -1;
    }

    private static boolean isString(JsonParser p, JsonToken value, Object path, PacketParser.Violations violations)
            throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return true;
        }
        violations.add(path, "must be a string");
        p.skipChildren();
        return false;
    }

    private static boolean fits(int length, Object path, PacketParser.Violations violations, int maxChars) {
        if (length <= maxChars) {
            return true;
        }
        violations.add(path, "is " + length + " characters long; at most " + maxChars + " are allowed");
        return false;
    }

    /**
     * A field named a second time in the same object: refused, since readers of JSON disagree on which value wins.
     * Checked by the readers rather than by Jackson's duplicate detection, which costs a hash set per object.
     */
    static void repeated(JsonParser p, Object path, PacketParser.Violations violations) throws IOException {
        violations.add(path, "appears more than once in the same object");
        p.skipChildren();
    }

    /** An id of 1 to 128 visible characters without spaces. */
    static boolean usable(String id) {
        return !id.isEmpty() && id.length() <= PacketParser.MAX_ID_CHARS && visible(id);
    }

    static boolean contains(String[] names, int count, String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean visible(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
