package dev.logdist.otlp;

import java.nio.charset.StandardCharsets;

/**
 * A time in OTLP's unsigned nanoseconds since the epoch as ISO-8601 text, exactly as {@link java.time.Instant#toString}
 * writes it (the fraction in groups of three digits, as many as it needs, none for a whole second), without the
 * Instant and the formatter it goes through, since every record of a request needs one. An instance remembers the
 * second it wrote last, which the records of a request tend to share.
 */
final class UnixNanos {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01, the shift of the civil-from-days calculation (H. Hinnant's). */
    private static final long EPOCH_SHIFT = 719_468;
    private static final int DAYS_PER_ERA = 146_097;

    /** The text being written; its first 19 bytes are those of {@link #second}. */
    private final byte[] text = new byte[30];
    private long second = -1;

    /** {@code nanos}, read unsigned (at most the year 2554, so always four digits of year). */
    static String iso(long nanos) {
        return new UnixNanos().text(nanos);
    }

    /** As {@link #iso}. */
    String text(long nanos) {
        long seconds = Long.divideUnsigned(nanos, NANOS_PER_SECOND);
        int nano = (int) Long.remainderUnsigned(nanos, NANOS_PER_SECOND);
        if (seconds != second) {
            second = seconds;
            dateAndTime(seconds);
        }
        int end = 19;
        if (nano != 0) {
            text[end++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(text, end, nano / 1_000_000, 3);
                end += 3;
            } else if (nano % 1000 == 0) {
                digits(text, end, nano / 1000, 6);
                end += 6;
            } else {
                digits(text, end, nano, 9);
                end += 9;
            }
        }
        text[end++] = 'Z';
        return new String(text, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** yyyy-MM-ddTHH:mm:ss of {@code seconds} since the epoch, into the first 19 bytes of the text. */
    private void dateAndTime(long seconds) {
        long days = seconds / SECONDS_PER_DAY;
        int secondOfDay = (int) (seconds % SECONDS_PER_DAY);
        long z = days + EPOCH_SHIFT;
        long era = z / DAYS_PER_ERA;
        int dayOfEra = (int) (z - era * DAYS_PER_ERA);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / (DAYS_PER_ERA - 1)) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, month, 2);
        text[7] = '-';
        digits(text, 8, day, 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
    }

    private static void digits(byte[] text, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
