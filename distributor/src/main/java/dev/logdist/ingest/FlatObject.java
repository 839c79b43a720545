package dev.logdist.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * A flat JSON object, every value a string, an integer, a boolean or null (the shape of nearly every agent's records
 * and documents), read in one streaming pass without a tree: its keys in order, each value as the text Jackson's tree
 * would give it. Anything else (nested objects, arrays, fractions, a key named twice, anything after the object) is
 * not flat: null, and the protocol reads it as a tree, which decides and says why.
 */
public final class FlatObject {

    static final byte STRING = 1;
    static final byte INTEGER = 2;
    static final byte OTHER = 3; // a boolean, or null

    private String[] keys = new String[8];
    private String[] values = new String[8];
    private byte[] kinds = new byte[8];
    private long[] integers; // made with the first integer
    private int count;

    FlatObject() {
    }

    /**
     * The flat object in {@code body[offset, offset + length)}, read with {@code json}'s limits, or null: off its bytes
     * when it is plain ({@link PlainObjects}), else with Jackson's parser.
     */
    public static FlatObject read(JsonFactory json, byte[] body, int offset, int length) {
        FlatObject plain = PlainObjects.read(body, offset, length, json.streamReadConstraints());
        return plain != null ? plain : parse(json, body, offset, length);
    }

    /** The flat object read by Jackson's parser, or null. */
    static FlatObject parse(JsonFactory json, byte[] body, int offset, int length) {
        FlatObject object = new FlatObject();
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken token = p.nextToken();
                if (object.indexOf(key) >= 0) {
                    return null; // which value a tree keeps, and where, is for the tree to say
                }
                switch (token) {
                    case VALUE_STRING -> object.add(key, p.getText(), STRING, 0);
                    case VALUE_NUMBER_INT -> {
                        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        long n = p.getLongValue();
                        object.add(key, Long.toString(n), INTEGER, n);
                    }
                    case VALUE_TRUE -> object.add(key, "true", OTHER, 0);
                    case VALUE_FALSE -> object.add(key, "false", OTHER, 0);
                    case VALUE_NULL -> object.add(key, null, OTHER, 0);
                    default -> {
                        return null;
                    }
                }
            }
            return p.nextToken() == null ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    void add(String key, String value, byte kind, long integer) {
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, 2 * count);
            values = Arrays.copyOf(values, 2 * count);
            kinds = Arrays.copyOf(kinds, 2 * count);
            if (integers != null) {
                integers = Arrays.copyOf(integers, 2 * count);
            }
        }
        if (kind == INTEGER) {
            if (integers == null) {
                integers = new long[keys.length];
            }
            integers[count] = integer;
        }
        keys[count] = key;
        values[count] = value;
        kinds[count] = kind;
        count++;
    }

    public int size() {
        return count;
    }

    /** The place of {@code key}, or -1. */
    public int indexOf(String key) {
        for (int i = 0; i < count; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    public String key(int i) {
        return keys[i];
    }

    /** The value's text (a number or boolean as JSON writes it), or null for JSON null. */
    public String value(int i) {
        return values[i];
    }

    public boolean isString(int i) {
        return kinds[i] == STRING;
    }

    /** Whether the value is an integer ({@link #integer} then holds it). */
    public boolean isInteger(int i) {
        return kinds[i] == INTEGER;
    }

    /** The integer of value {@code i}, when {@link #isInteger}; else 0. */
    public long integer(int i) {
        return kinds[i] == INTEGER ? integers[i] : 0;
    }
}
