package dev.logdist.validation;

/**
 * Where a message field sits, such as {@code messages[3].attributes.region}, spelled out only when a violation names
 * it: a valid packet, the usual case, never builds these strings.
 */
record FieldPath(int index, String field, String key) {

    FieldPath key(String attribute) {
        return new FieldPath(index, field, attribute);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("messages[").append(index).append(']');
        if (field != null) {
            b.append('.').append(field);
        }
        if (key != null) {
            b.append('.').append(key);
        }
        return b.toString();
    }
}
