package dev.logdist.validation;

import dev.logdist.model.Level;
import java.nio.charset.StandardCharsets;

/**
 * The timestamp and level checks of {@link MessageReader} on a plain ASCII string's bytes, for the everyday values
 * only: a true here is the validators' verdict too; false means "ask them" ({@link Timestamps}, {@code Level.parse}).
 */
final class PlainValues {

    private static final byte[][] LEVELS = names("TRACE", "DEBUG", "INFO", "NOTICE", "INFORMATIONAL", "WARN", "WARNING",
            "ERROR", "ERR", "CRIT", "CRITICAL", "ALERT", "FATAL", "EMERG", "EMERGENCY", "PANIC");

    private PlainValues() {
    }

    /** Whether {@code b[from, to)} is a valid {@code 2026-11-25T10:00:00[.fff…](Z|±hh:mm)}, the shape agents send. */
    static boolean timestamp(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 20 || b[from + 4] != '-' || b[from + 7] != '-' || b[from + 10] != 'T' || b[from + 13] != ':'
                || b[from + 16] != ':') {
            return false;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        int second = digits(b, from + 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || !Timestamps.dateTimeOk(year, month, day, hour, minute, second)) {
            return false;
        }
        int i = from + 19;
        if (i < to && b[i] == '.') {
            int start = ++i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return false;
            }
        }
        if (i == to - 1 && b[i] == 'Z') {
            return true;
        }
        if (i == to - 6 && (b[i] == '+' || b[i] == '-') && b[i + 3] == ':') {
            int oh = digits(b, i + 1, 2);
            int om = digits(b, i + 4, 2);
            return (oh | om) >= 0 && Timestamps.offsetOk(oh, om);
        }
        return false;
    }

    /** Whether {@code b[from, to)} names a level in any case, as {@code Level.parse} reads ASCII. */
    static boolean level(byte[] b, int from, int to) {
        int n = to - from;
        for (byte[] name : LEVELS) {
            if (name.length == n && sameIgnoringCase(b, from, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameIgnoringCase(byte[] b, int from, byte[] upper) {
        for (int k = 0; k < upper.length; k++) {
            int c = b[from + k];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upper[k]) {
                return false;
            }
        }
        return true;
    }

    private static int digits(byte[] b, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The names {@code Level.parse} still takes: one it stopped taking must not pass here. */
    private static byte[][] names(String... names) {
        return java.util.Arrays.stream(names).filter(name -> Level.parse(name) != null)
                .map(name -> name.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }
}
