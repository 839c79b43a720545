package dev.logdist.validation;

import java.util.Arrays;

/**
 * What a translator learns of the messages of a packet while it writes them itself, checked value by value with
 * {@link MessageRules} and told where each lies in its JSON, so that {@link PacketParser#written} can give the
 * validator's verdict without reading the packet again. It tells only what it can prove: a message it doubts (a
 * required field missing, a value against a rule, a repeated or one attribute too many to compare) marks the packet
 * for the validator to read.
 */
public final class WrittenMessages {

    /** How deep a written packet nests: the packet, its messages, a message, its attributes. */
    static final int DEPTH = 4;
    /** The longest field name a written packet has ({@code attributes}), which the JSON limits apply to as well. */
    private static final int LONGEST_FIELD_NAME = "attributes".length();
    /** Past this many attributes in one message the names are not compared here but left to the validator. */
    private static final int MOST_COMPARED_ATTRIBUTES = 32;

    private int[] bounds = new int[32];
    private int count;
    private boolean allValid = true;
    private int longestString = LONGEST_FIELD_NAME;
    private int longestMessage;
    private int mostAttributes;
    private final String[] names = new String[MOST_COMPARED_ATTRIBUTES];
    private int attributes;

    /** A message starts at offset {@code start} of the JSON; a null field was left out. */
    public void message(int start, String timestamp, String level, String message, String source, String service) {
        if (2 * count == bounds.length) {
            bounds = Arrays.copyOf(bounds, 2 * bounds.length);
        }
        bounds[2 * count] = start;
        attributes = 0;
        if (timestamp == null || level == null || message == null
                // the message's length is held against the setting once for the packet (longestMessage)
                || !MessageRules.timestamp(timestamp) || !MessageRules.level(level)
                || !MessageRules.message(message, Integer.MAX_VALUE)
                || source != null && !MessageRules.name(source) || service != null && !MessageRules.name(service)) {
            allValid = false;
            return;
        }
        longestMessage = Math.max(longestMessage, message.length());
        longestString = Math.max(longestString, Math.max(timestamp.length(), level.length()));
        longestString = Math.max(longestString, message.length());
        if (source != null) {
            longestString = Math.max(longestString, source.length());
        }
        if (service != null) {
            longestString = Math.max(longestString, service.length());
        }
    }

    /** The current message has this attribute (a null value is written as JSON null), after those told before. */
    public void attribute(String name, String value) {
        if (attributes == MOST_COMPARED_ATTRIBUTES || name == null || value == null
                || !MessageRules.attributeName(name) || !MessageRules.attributeValue(value)
                || Fields.contains(names, attributes, name)) {
            allValid = false;
            return;
        }
        names[attributes++] = name;
        mostAttributes = Math.max(mostAttributes, attributes);
        longestString = Math.max(longestString, Math.max(name.length(), value.length()));
    }

    /** The current message ends before offset {@code end}. */
    public void end(int end) {
        bounds[2 * count + 1] = end;
        count++;
        Arrays.fill(names, 0, attributes, null);
    }

    int count() {
        return count;
    }

    int[] bounds() {
        return Arrays.copyOf(bounds, 2 * count);
    }

    boolean allValid() {
        return allValid;
    }

    int longestString() {
        return longestString;
    }

    int longestMessage() {
        return longestMessage;
    }

    int mostAttributes() {
        return mostAttributes;
    }
}
