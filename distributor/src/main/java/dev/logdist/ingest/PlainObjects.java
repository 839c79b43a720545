package dev.logdist.ingest;

import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.charset.StandardCharsets;

/**
 * Reads the everyday flat object straight off its bytes, without a parser: names and string values of printable
 * ASCII without escapes, integers of up to 18 digits, {@code true}, {@code false}, {@code null}, JSON whitespace
 * between them. Anything else (an escape, a byte past ASCII, a fraction, a name repeated, a string over the limits)
 * is not for this class to judge: null, and {@link FlatObject} asks Jackson, which gives the answer it always gave.
 * For every object this class reads, the result is the one Jackson's pass gives.
 */
final class PlainObjects {

    private static final int LONGEST_INTEGER = 18; // digits: always within a long

    private PlainObjects() {
    }

    /** The flat object in {@code b[offset, offset + length)}, or null when this cannot tell. */
    static FlatObject read(byte[] b, int offset, int length, StreamReadConstraints limits) {
        if (limits.getMaxDocumentLength() > 0 && length > limits.getMaxDocumentLength()) {
            return null;
        }
        return new Pass(b, offset + length, limits).object(offset);
    }

    /** One read: the bytes, where they end, and the limits a name or a string must keep. */
    private static final class Pass {
        private final byte[] b;
        private final int end;
        private final int maxName;
        private final int maxString;
        private final FlatObject object = new FlatObject();

        Pass(byte[] b, int end, StreamReadConstraints limits) {
            this.b = b;
            this.end = end;
            this.maxName = limits.getMaxNameLength();
            this.maxString = limits.getMaxStringLength();
        }

        FlatObject object(int from) {
            int i = space(from);
            if (i >= end || b[i] != '{') {
                return null;
            }
            i = space(i + 1);
            if (i < end && b[i] == '}') {
                return space(i + 1) == end ? object : null;
            }
            while (i < end && b[i] == '"') {
                int close = plain(i + 1, maxName);
                if (close < 0) {
                    return null;
                }
                String key = RecentNames.of(b, i + 1, close);
                if (object.indexOf(key) >= 0) {
                    return null;
                }
                i = space(close + 1);
                if (i >= end || b[i] != ':') {
                    return null;
                }
                i = value(key, space(i + 1));
                if (i < 0) {
                    return null;
                }
                i = space(i);
                if (i < end && b[i] == '}') {
                    return space(i + 1) == end ? object : null;
                }
                if (i >= end || b[i] != ',') {
                    return null;
                }
                i = space(i + 1);
            }
            return null;
        }

        /** Reads the value at {@code i} into the object under {@code key}; where it ends, or -1. */
        private int value(String key, int i) {
            if (i >= end) {
                return -1;
            }
            byte c = b[i];
            if (c == '"') {
                int close = plain(i + 1, maxString);
                if (close < 0) {
                    return -1;
                }
                object.add(key, new String(b, i + 1, close - i - 1, StandardCharsets.ISO_8859_1), FlatObject.STRING, 0);
                return close + 1;
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return integer(key, i);
            }
            if (word(i, "true")) {
                object.add(key, "true", FlatObject.OTHER, 0);
                return i + 4;
            }
            if (word(i, "false")) {
                object.add(key, "false", FlatObject.OTHER, 0);
                return i + 5;
            }
            if (word(i, "null")) {
                object.add(key, null, FlatObject.OTHER, 0);
                return i + 4;
            }
            return -1;
        }

        /** An integer as JSON writes it (no leading zero, no fraction, no exponent) of up to 18 digits; else -1. */
        private int integer(String key, int from) {
            int i = from;
            boolean negative = b[i] == '-';
            if (negative) {
                i++;
            }
            int digits = i;
            long n = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                n = 10 * n + (b[i] - '0');
                i++;
            }
            int count = i - digits;
            if (count == 0 || count > LONGEST_INTEGER || (count > 1 && b[digits] == '0') || !delimiter(i)) {
                return -1;
            }
            long value = negative ? -n : n;
            object.add(key, Long.toString(value), FlatObject.INTEGER, value);
            return i;
        }

        /** Whether {@code word} is at {@code i}, followed by what may follow a value. */
        private boolean word(int i, String word) {
            if (i + word.length() > end) {
                return false;
            }
            for (int k = 0; k < word.length(); k++) {
                if (b[i + k] != word.charAt(k)) {
                    return false;
                }
            }
            return delimiter(i + word.length());
        }

        private boolean delimiter(int i) {
            if (i >= end) {
                return true;
            }
            byte c = b[i];
            return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        /** The closing quote of the plain string from {@code from} (printable ASCII, no escapes, at most {@code max}). */
        private int plain(int from, int max) {
            int limit = (int) Math.min(end, (long) from + max + 1);
            for (int i = from; i < limit; i++) {
                byte c = b[i];
                if (c == '"') {
                    return i;
                }
                if (c < 0x20 || c == '\\' || c > 0x7e) {
                    return -1;
                }
            }
            return -1;
        }

        private int space(int from) {
            int i = from;
            while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
                i++;
            }
            return i;
        }
    }
}
