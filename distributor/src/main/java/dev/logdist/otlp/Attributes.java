package dev.logdist.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message's attributes made from a log record's, within the native limits the way an OpenTelemetry SDK applies its
 * attribute limits: a value longer than {@value #MAX_VALUE_CHARS} characters is truncated, an attribute past
 * {@code distributor.max-attributes} is dropped, never the record. They are taken in order of precedence (the trace
 * context, the record's own, its resource's, its scope's), so that what is dropped is the least specific, and a name
 * already taken keeps its first value. A name that is empty or longer than {@value #MAX_NAME_CHARS} is dropped too.
 */
final class Attributes {

    /** The validator's limit on an attribute value, in UTF-16 units (MessageReader). */
    static final int MAX_VALUE_CHARS = 8192;
    /** The validator's limit on an attribute name. */
    static final int MAX_NAME_CHARS = 256;

    private final int max;
    private final Map<String, String> taken = new LinkedHashMap<>();

    Attributes(int max) {
        this.max = max;
    }

    Attributes add(String name, String value) {
        if (value == null || name.isEmpty() || name.length() > MAX_NAME_CHARS || taken.containsKey(name)
                || taken.size() == max) {
            return this;
        }
        taken.put(name, truncated(value));
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

    Map<String, String> taken() {
        return taken;
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
