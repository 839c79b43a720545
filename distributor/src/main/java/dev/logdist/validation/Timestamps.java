package dev.logdist.validation;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Whether a text is an ISO-8601 date-time with an offset, exactly as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}
 * decides, but checking the everyday shape {@code 2026-11-25T10:00:00[.fff…](Z|±hh:mm)} without the parser's
 * allocations; any other shape goes to the parser.
 */
public final class Timestamps {

    private static final int[] DAYS = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private Timestamps() {
    }

    public static boolean valid(String t) {
        Boolean quick = quick(t);
        if (quick != null) {
            return quick;
        }
        try {
            OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** TRUE or FALSE for the everyday shape, null for anything else. */
    static Boolean quick(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return null;
            }
        }
        if (i == n - 1 && t.charAt(i) == 'Z') {
            return dateTimeOk(year, month, day, hour, minute, second);
        }
        if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if ((oh | om) < 0) {
                return null;
            }
            return dateTimeOk(year, month, day, hour, minute, second) && offsetOk(oh, om);
        }
        return null;
    }

    /** Whether the fields of a date-time are a day and time that exist (also for {@link PlainValues}). */
    static boolean dateTimeOk(int year, int month, int day, int hour, int minute, int second) {
        if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
            return false;
        }
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        return day <= (month == 2 && !leap ? 28 : DAYS[month - 1]);
    }

    /** Whether {@code ±hh:mm} is an offset java.time takes: at most 18 hours. */
    static boolean offsetOk(int hours, int minutes) {
        return hours <= 18 && minutes <= 59 && (hours < 18 || minutes == 0);
    }

    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
