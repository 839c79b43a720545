package dev.logdist.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The UTF-8 JSON text of a packet, written byte for byte as Jackson's default generator writes it (no whitespace;
 * in a string {@code "} and {@code \} escaped, {@code \b \t \n \f \r} as such, the other control characters and every
 * UTF-16 surrogate as {@code \}{@code uXXXX} in upper-case hex, everything else in UTF-8), but straight into one array:
 * a packet is only objects, arrays and strings, and the generator's per-call work was most of the cost of writing one.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** For each ASCII character: 0 as it is, 'u' as a hex escape, else the letter after the backslash. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
    }

    /** How many strings may be remembered by their slot ({@link #name(int, String)}, {@link #field}). */
    static final int SLOTS = 64;
    /** How many characters of a string are encoded with room made for them at once (6 bytes each at most). */
    private static final int BLOCK_CHARS = 1024;

    private byte[] bytes;
    /** By slot, the string written last in it and where its JSON text lies, to copy when it comes again. */
    private final String[] lastOfSlot = new String[SLOTS];
    private final int[] lastAt = new int[SLOTS];
    private final int[] lastLength = new int[SLOTS];
    private int size;
    /** Whether the value next written is the first of its object or array (no comma before it). */
    private boolean first = true;

    JsonBytes(int capacity) {
        bytes = new byte[capacity];
    }

    /** How many bytes were written: the offset of the next one. */
    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void startObject() {
        separate();
        put((byte) '{');
        first = true;
    }

    void endObject() {
        put((byte) '}');
        first = false;
    }

    void startArray() {
        separate();
        put((byte) '[');
        first = true;
    }

    void endArray() {
        put((byte) ']');
        first = false;
    }

    /** A field's name, then its value must follow. */
    void name(String name) {
        separate();
        string(name);
        put((byte) ':');
        first = true;
    }

    /** A field with a string value, or {@code null}. */
    void field(String name, String value) {
        name(name);
        value(value);
    }

    /** A string value, or {@code null}, after its field's name. */
    void value(String value) {
        if (value == null) {
            ensure(4);
            bytes[size++] = 'n';
            bytes[size++] = 'u';
            bytes[size++] = 'l';
            bytes[size++] = 'l';
        } else {
            string(value);
        }
        first = false;
    }

    /**
     * A field's name, then its value must follow; like {@link #name(String)}, but when the name is the one written
     * last in {@code slot} (where a writer puts what tends to repeat, message after message), its text is copied.
     */
    void name(int slot, String name) {
        separate();
        string(slot, name);
        put((byte) ':');
        first = true;
    }

    /** A field with a string value (not null), each of them remembered in its slot as {@link #name(int, String)}. */
    void field(int nameSlot, String name, int valueSlot, String value) {
        name(nameSlot, name);
        string(valueSlot, value);
        first = false;
    }

    /** A string value (not null), remembered in {@code slot}; a slot outside [0, SLOTS) remembers nothing. */
    private void string(int slot, String s) {
        if (slot < 0 || slot >= SLOTS) {
            string(s);
            return;
        }
        String last = lastOfSlot[slot];
        if (last != null && (last == s || last.equals(s))) {
            int length = lastLength[slot];
            ensure(length);
            // earlier bytes are never written over, and growing keeps their offsets
            System.arraycopy(bytes, lastAt[slot], bytes, size, length);
            size += length;
            return;
        }
        int start = size;
        string(s);
        lastOfSlot[slot] = s;
        lastAt[slot] = start;
        lastLength[slot] = size - start;
    }

    private void separate() {
        if (!first) {
            put((byte) ',');
        }
    }

    private void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    private void string(String s) {
        int n = s.length();
        // room for the quotes and for the characters as they are, or as the longest escapes, 6 bytes, of a block of them
        ensure(Math.max(n, 6 * Math.min(n, BLOCK_CHARS)) + 2);
        byte[] b = bytes;
        int at = size;
        b[at++] = '"';
        int i = 0;
        if (n >= 16) {
            // a long string is encoded at once (an intrinsic); as many bytes as characters means each is ASCII or a
            // lone surrogate, which the encoder replaces with '?': the run up to the first '?' or escape is as it is
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length == n) {
                while (i < n && ESCAPES[utf8[i]] == 0 && utf8[i] != '?') {
                    i++;
                }
                System.arraycopy(utf8, 0, b, at, i);
                at += i;
            }
        }
        while (i < n) {
            // in blocks, so that room for the longest escapes is made for a block, not for all of a long string
            int blockEnd = Math.min(n, i + BLOCK_CHARS);
            if (b.length - at < 6 * (blockEnd - i) + 1) {
                size = at;
                ensure(6 * (blockEnd - i) + 1);
                b = bytes;
            }
            at = encode(s, i, blockEnd, b, at);
            i = blockEnd;
        }
        b[at++] = '"';
        size = at;
    }

    /** Characters {@code from} to {@code to} of {@code s} into {@code b} at {@code at}, with room for 6 bytes each. */
    private static int encode(String s, int from, int to, byte[] b, int at) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    b[at++] = (byte) c;
                } else if (escape == 'u') {
                    at = hexEscape(b, at, c);
                } else {
                    b[at++] = '\\';
                    b[at++] = escape;
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xc0 | c >> 6);
                b[at++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                at = hexEscape(b, at, c);
            } else {
                b[at++] = (byte) (0xe0 | c >> 12);
                b[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                b[at++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return at;
    }

    private static int hexEscape(byte[] b, int at, char c) {
        b[at++] = '\\';
        b[at++] = 'u';
        b[at++] = HEX[c >> 12];
        b[at++] = HEX[c >> 8 & 0xf];
        b[at++] = HEX[c >> 4 & 0xf];
        b[at++] = HEX[c & 0xf];
        return at;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
        }
    }
}
