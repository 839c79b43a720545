package dev.logdist.otlp;

import dev.logdist.ingest.NativePacket;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A message's attributes made from a log record's, within the native limits the way an OpenTelemetry SDK applies its
 * attribute limits: a value longer than {@value #MAX_VALUE_CHARS} characters is truncated, an attribute past
 * {@code distributor.max-attributes} is dropped, never the record. They are taken in order of precedence (the trace
 * context, the record's own, its resource's, its scope's), so that what is dropped is the least specific, and a name
 * already taken keeps its first value. A name that is empty or longer than {@value #MAX_NAME_CHARS} is dropped too.
 * One instance serves every record of a request in turn ({@link #clear}).
 */
final class Attributes {

    /** The validator's limit on an attribute value, in UTF-16 units (MessageReader). */
    static final int MAX_VALUE_CHARS = 8192;
    /** The validator's limit on an attribute name. */
    static final int MAX_NAME_CHARS = 256;
    /** Up to this many names taken, a new one is compared with each; past it, looked up in a set. */
    private static final int COMPARED = 16;

    private final int max;
    private String[] names = new String[8];
    private String[] values = new String[8];
    private int count;
    private Set<String> many;

    Attributes(int max) {
        this.max = max;
    }

    /** Empty again, for the next record. */
    Attributes clear() {
        count = 0;
        if (many != null) {
            many.clear();
        }
        return this;
    }

    Attributes add(String name, String value) {
        if (value == null || name.isEmpty() || name.length() > MAX_NAME_CHARS || count == max || taken(name)) {
            return this;
        }
        if (count == names.length) {
            names = Arrays.copyOf(names, 2 * count);
            values = Arrays.copyOf(values, 2 * count);
        }
        if (count >= COMPARED) {
            if (count == COMPARED) {
                many = many == null ? new HashSet<>() : many;
                many.addAll(Arrays.asList(names).subList(0, count));
            }
            many.add(name);
        }
        names[count] = name;
        values[count++] = truncated(value);
        return this;
    }

    /** Every attribute of {@code list} but those named in {@code except} (already fields of the message). */
    Attributes addAll(List<KeyValue> list, String... except) {
        for (KeyValue kv : list) {
            if (!isOneOf(kv.getKey(), except)) {
                add(kv.getKey(), AnyValues.text(kv.getValue()));
            }
        }
        return this;
    }

    /** Every attribute of {@code other}, in its order. */
    Attributes addAll(Attributes other) {
        for (int i = 0; i < other.count; i++) {
            add(other.names[i], other.values[i]);
        }
        return this;
    }

    /** The attributes taken, in order, as the attributes of the message {@code packet} has started last. */
    void writeTo(NativePacket packet) {
        for (int i = 0; i < count; i++) {
            packet.attribute(names[i], values[i]);
        }
    }

    int size() {
        return count;
    }

    private boolean taken(String name) {
        if (count > COMPARED) {
            return many.contains(name);
        }
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String truncated(String value) {
        if (value.length() <= MAX_VALUE_CHARS) {
            return value;
        }
        int end = MAX_VALUE_CHARS;
        // never half a surrogate pair
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end);
    }

    private static boolean isOneOf(String name, String[] names) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
