package dev.logdist.lines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A record whose every value is a string, an integer, a boolean or null (what Fluent Bit, Vector and syslog-ng send
 * by default), read in one streaming pass without a tree: its keys in order, each value as the text the tree would
 * give it. Anything else (nested objects, arrays, fractions, a key named twice, a line that is not one object) is no
 * flat record: null, and the tree reads it.
 */
final class FlatRecord {

    private String[] keys = new String[12];
    private String[] values = new String[12];
    private boolean[] strings = new boolean[12];
    private long[] integers = new long[12];
    private int count;

    private FlatRecord() {
    }

    /** The flat record in {@code body[offset, offset + length)}, or null. */
    static FlatRecord read(JsonFactory json, byte[] body, int offset, int length) {
        FlatRecord record = new FlatRecord();
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken token = p.nextToken();
                if (record.indexOf(key) >= 0) {
                    return null; // the tree keeps the last value at the first place: left to it
                }
                switch (token) {
                    case VALUE_STRING -> record.add(key, p.getText(), true, 0);
                    case VALUE_NUMBER_INT -> {
                        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        long n = p.getLongValue();
                        record.add(key, Long.toString(n), false, n);
                    }
                    case VALUE_TRUE -> record.add(key, "true", false, 0);
                    case VALUE_FALSE -> record.add(key, "false", false, 0);
                    case VALUE_NULL -> record.add(key, null, false, 0);
                    default -> {
                        return null;
                    }
                }
            }
            return p.nextToken() == null ? record : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void add(String key, String value, boolean string, long integer) {
        if (count == keys.length) {
            keys = java.util.Arrays.copyOf(keys, 2 * count);
            values = java.util.Arrays.copyOf(values, 2 * count);
            strings = java.util.Arrays.copyOf(strings, 2 * count);
            integers = java.util.Arrays.copyOf(integers, 2 * count);
        }
        keys[count] = key;
        values[count] = value;
        strings[count] = string;
        integers[count] = integer;
        count++;
    }

    int size() {
        return count;
    }

    /** The place of {@code key}, or -1. */
    int indexOf(String key) {
        for (int i = 0; i < count; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    String key(int i) {
        return keys[i];
    }

    /** The value's text (a number or boolean as JSON writes it), or null for JSON null. */
    String value(int i) {
        return values[i];
    }

    boolean isString(int i) {
        return strings[i];
    }

    /** Whether the value is an integer ({@link #integer} then holds it). */
    boolean isInteger(int i) {
        return !strings[i] && values[i] != null && values[i].charAt(0) != 't' && values[i].charAt(0) != 'f';
    }

    long integer(int i) {
        return integers[i];
    }
}
