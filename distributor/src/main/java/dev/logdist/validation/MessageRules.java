package dev.logdist.validation;

import dev.logdist.model.Level;

/**
 * The rules a message's values must meet, in one place: {@link MessageReader} applies them to the JSON it reads, and
 * a translator that writes its packets itself applies them to the values it writes ({@link WrittenMessages}), so
 * that both give the same verdict. The limits that are settings (a message's length, how many attributes) are the
 * {@link PacketParser}'s.
 */
public final class MessageRules {

    public static final int MAX_TIMESTAMP_CHARS = 64;
    public static final int MAX_LEVEL_CHARS = 16;
    /** Of {@code source}, {@code service} and an attribute's name. */
    public static final int MAX_NAME_CHARS = 256;
    public static final int MAX_ATTRIBUTE_VALUE_CHARS = 8192;

    private MessageRules() {
    }

    /** An ISO-8601 date-time with an offset, e.g. {@code 2026-11-25T10:00:00.123Z}. */
    public static boolean timestamp(String text) {
        return text.length() <= MAX_TIMESTAMP_CHARS && Timestamps.valid(text);
    }

    /** One of the {@link Level} names, in any case. */
    public static boolean level(String text) {
        return text.length() <= MAX_LEVEL_CHARS && Level.parse(text) != null;
    }

    /** A message text of at most {@code maxChars} that is not empty or only whitespace. */
    public static boolean message(String text, int maxChars) {
        return text.length() <= maxChars && !blank(text);
    }

    /** A {@code source} or {@code service}. */
    public static boolean name(String text) {
        return text.length() <= MAX_NAME_CHARS;
    }

    public static boolean attributeName(String name) {
        return !name.isEmpty() && name.length() <= MAX_NAME_CHARS;
    }

    public static boolean attributeValue(String value) {
        return value.length() <= MAX_ATTRIBUTE_VALUE_CHARS;
    }

    /** Whether the text is empty or only whitespace, as {@link String#isBlank()} tells. */
    static boolean blank(char[] chars, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (!Character.isWhitespace(chars[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
