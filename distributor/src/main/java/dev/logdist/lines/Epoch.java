package dev.logdist.lines;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A record's timestamp as the native ISO-8601 text: epoch seconds (a number, or a string of one, with a fraction to
 * the nanosecond) become UTC instants; numbers from 10^12 on are taken as milliseconds (10^12 seconds is past the
 * year 30000); any other string passes as it is, for the validator to judge as ISO-8601.
 */
final class Epoch {

    private static final BigDecimal MILLIS_FROM = BigDecimal.valueOf(1_000_000_000_000L);
    private static final BigDecimal TOO_LARGE = BigDecimal.valueOf(1_000_000_000_000_000L);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private Epoch() {
    }

    /** The native timestamp text of {@code value}, or null when it can be none. */
    static String timestamp(JsonNode value) {
        if (value.isNumber()) {
            if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                return null;
            }
            return fromSeconds(value.decimalValue());
        }
        return value.isTextual() ? timestamp(value.asText()) : null;
    }

    /** The native timestamp text of a string value: epoch seconds, or the text itself for the validator to judge. */
    static String timestamp(String value) {
        String text = value.trim();
        if (isEpochText(text)) {
            return fromSeconds(new BigDecimal(text));
        }
        return text.isEmpty() ? null : text;
    }

    /**
     * Whether {@code text} is {@code -?\d{1,20}(\.\d{1,18})?}, checked by hand: {@code String.matches} compiled the
     * pattern again for every record (a sixth of a JSON-lines request's CPU).
     */
    static boolean isEpochText(String text) {
        int n = text.length();
        int i = n > 0 && text.charAt(0) == '-' ? 1 : 0;
        int digits = digitsFrom(text, i);
        if (digits < 1 || digits > 20) {
            return false;
        }
        i += digits;
        if (i == n) {
            return true;
        }
        if (text.charAt(i) != '.') {
            return false;
        }
        int fraction = digitsFrom(text, i + 1);
        return fraction >= 1 && fraction <= 18 && i + 1 + fraction == n;
    }

    private static int digitsFrom(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    /** The native timestamp text of an integer value, as {@link #timestamp(JsonNode)} reads a number. */
    static String timestamp(long value) {
        return fromSeconds(BigDecimal.valueOf(value));
    }

    static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static String fromSeconds(BigDecimal number) {
        if (number.abs().compareTo(TOO_LARGE) >= 0) {
            return null; // before any arithmetic: 1e999999 is a short number with a long expansion
        }
        BigDecimal seconds = number.abs().compareTo(MILLIS_FROM) >= 0 ? number.divide(THOUSAND) : number;
        try {
            BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
            long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            return iso(Instant.ofEpochSecond(whole.longValueExact(), nanos));
        } catch (ArithmeticException | DateTimeException e) {
            return null;
        }
    }
}
