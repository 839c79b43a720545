package dev.logdist.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attributes of a document within the native limits, by one rule: names are the dotted paths of the fields in
 * document order; arrays become their JSON text, other values their text, nulls are left out; a value over
 * {@value #MAX_VALUE_CHARS} characters is cut to that length; a name over {@value #MAX_NAME_CHARS} characters is
 * dropped; past {@code max} attributes the rest are dropped, and the last place then holds
 * {@value #DROPPED} with the number dropped.
 */
final class DocumentAttributes {
    // the validator's limits for attribute names and values (it would refuse the whole document past them; a shipper's
    // document is better delivered a little short than not at all)
    static final int MAX_NAME_CHARS = 256;
    static final int MAX_VALUE_CHARS = 8192;
    static final String DROPPED = "logdist.dropped_attributes";

    private final int max;
    private final Map<String, String> kept = new LinkedHashMap<>();
    private int dropped;

    DocumentAttributes(int max) {
        this.max = max;
    }

    void flatten(String prefix, JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(name + ".", value);
            } else if (!value.isNull()) {
                add(name, value.isArray() ? value.toString() : value.asText());
            }
        }
    }

    void add(String name, String value) {
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS || kept.size() >= max || kept.containsKey(name)) {
            dropped++;
            return;
        }
        kept.put(name, cut(value));
    }

    private static String cut(String value) {
        if (value.length() <= MAX_VALUE_CHARS) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_VALUE_CHARS - 1)) ? MAX_VALUE_CHARS - 1 : MAX_VALUE_CHARS;
        return value.substring(0, end);
    }

    Map<String, String> result() {
        if (dropped > 0 && max > 0) {
            if (kept.size() >= max) {
                String last = kept.keySet().stream().reduce((a, b) -> b).orElseThrow();
                kept.remove(last);
                dropped++;
            }
            kept.put(DROPPED, String.valueOf(dropped));
        }
        return kept;
    }
}
