package dev.logdist.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One JSON string of a body, read off its UTF-8 bytes for {@link PlainPacketScanner}: where it ends, its length in
 * UTF-16 units as Jackson's {@code getTextLength} counts it, whether it is plain ASCII without escapes, and (only
 * when asked) its text. It accepts only strictly valid UTF-8 and the escapes JSON defines; anything else (a control
 * character, a lone or overlong UTF-8 sequence, an unknown escape, the body ending inside) is -1, left to Jackson.
 */
final class PlainString {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * ' ';

    /** The UTF-16 length of the string read last. */
    int units;
    /** Whether the string read last is ASCII only and has no escape: its bytes are its characters. */
    boolean plain;

    /**
     * Reads the string whose first byte (after the opening quote) is at {@code from}: the index of its closing quote,
     * or -1 when it is not one this class reads.
     */
    int read(byte[] b, int from) {
        int n = b.length;
        int i = from;
        int count = 0;
        boolean ascii = true;
        while (true) {
            // eight bytes at a time while none is a quote, a backslash, a control character or part of a UTF-8 sequence
            while (i + 8 <= n) {
                long w = (long) LONGS.get(b, i);
                long special = special(w);
                if (special != 0) {
                    int k = Long.numberOfTrailingZeros(special) >>> 3;
                    i += k;
                    count += k;
                    break;
                }
                i += 8;
                count += 8;
            }
            if (i >= n) {
                return -1;
            }
            int c = b[i];
            if (c == '"') {
                units = count;
                plain = ascii;
                return i;
            }
            if (c > 0x1f && c != '\\') {
                i++;
                count++;
            } else if (c < 0) {
                ascii = false;
                int length = sequence(b, i, c & 0xff);
                if (length < 0) {
                    return -1;
                }
                i += length;
                count += length == 4 ? 2 : 1;
            } else if (c == '\\') {
                ascii = false;
                int length = escape(b, i);
                if (length < 0) {
                    return -1;
                }
                i += length;
                count++;
            } else {
                return -1;
            }
        }
    }

    /** The eight bytes at {@code i} as one little-endian long. */
    static long longAt(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /**
     * The high bit of the lowest byte of {@code w} that is a quote, a backslash, below 0x20 or above 0x7f is set (higher
     * ones may be too, spuriously): the zero-byte test {@code (v - ONES) & ~v & HIGH} of each comparison, with
     * {@code ~w} for {@code ~v} (a comparison flips no high bit) and bytes above 0x7f flagged at once.
     */
    private static long special(long w) {
        return (w | ((w - SPACES) | ((w ^ QUOTES) - ONES) | ((w ^ BACKSLASHES) - ONES)) & ~w) & HIGH;
    }

    /** The length of the strictly valid UTF-8 sequence starting with {@code lead} at {@code i}, or -1. */
    private static int sequence(byte[] b, int i, int lead) {
        int length;
        int low = 0x80;
        int high = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3;
            low = lead == 0xe0 ? 0xa0 : 0x80;
            high = lead == 0xed ? 0x9f : 0xbf;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4;
            low = lead == 0xf0 ? 0x90 : 0x80;
            high = lead == 0xf4 ? 0x8f : 0xbf;
        } else {
            return -1;
        }
        if (i + length > b.length) {
            return -1;
        }
        int second = b[i + 1] & 0xff;
        if (second < low || second > high) {
            return -1;
        }
        for (int k = 2; k < length; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return length;
    }

    /** The length of the escape at {@code i} (2, or 6 for {@code \\uXXXX}), or -1 for one JSON does not define. */
    private static int escape(byte[] b, int i) {
        if (i + 1 >= b.length) {
            return -1;
        }
        switch (b[i + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return 2;
            }
            case 'u' -> {
                if (i + 6 > b.length) {
                    return -1;
                }
                for (int k = i + 2; k < i + 6; k++) {
                    if (hex(b[k]) < 0) {
                        return -1;
                    }
                }
                return 6;
            }
            default -> {
                return -1;
            }
        }
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The text of a string {@link #read} accepted, from its first byte to its closing quote, escapes decoded. */
    static String text(byte[] b, int from, int to, boolean plain) {
        if (plain) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        StringBuilder text = new StringBuilder(to - from);
        int run = from;
        for (int i = from; i < to; ) {
            if (b[i] != '\\') {
                i++;
                continue;
            }
            text.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            byte e = b[i + 1];
            if (e == 'u') {
                text.append((char) (hex(b[i + 2]) << 12 | hex(b[i + 3]) << 8 | hex(b[i + 4]) << 4 | hex(b[i + 5])));
                i += 6;
            } else {
                text.append(switch (e) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> (char) e;
                });
                i += 2;
            }
            run = i;
        }
        return text.append(new String(b, run, to - run, StandardCharsets.UTF_8)).toString();
    }

    /** Whether a string {@link #read} accepted is empty or only whitespace, as {@code MessageReader} tells. */
    static boolean blank(byte[] b, int from, int to, boolean plain) {
        if (from == to) {
            return true;
        }
        int first = b[from];
        if (first > ' ' && first != '\\') {
            return false;
        }
        String text = text(b, from, to, plain);
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
