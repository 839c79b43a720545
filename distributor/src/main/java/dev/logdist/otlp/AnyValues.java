package dev.logdist.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * An OTLP {@code AnyValue} as the text of a native field: a string as it is; a bool, int or double as its JSON
 * literal; bytes in base64; an array as a JSON array and a key-value list as a JSON object of these values. How deep
 * a value may be was bounded when the request was decoded.
 */
final class AnyValues {

    private static final JsonFactory JSON = new JsonFactory();

    private AnyValues() {
    }

    /** The text of {@code value}, or null when it holds no value at all. */
    static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> json(value);
            // an index into a dictionary that only profiles have: no value in a log record
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
        };
    }

    /** {@code value} as JSON. */
    static String json(AnyValue value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator out, AnyValue value) throws IOException {
        switch (value.getValueCase()) {
            case STRING_VALUE -> out.writeString(value.getStringValue());
            case BOOL_VALUE -> out.writeBoolean(value.getBoolValue());
            case INT_VALUE -> out.writeNumber(value.getIntValue());
            case DOUBLE_VALUE -> {
                double d = value.getDoubleValue();
                // JSON has no NaN or infinity: those go as the strings the proto3 JSON mapping uses
                if (Double.isFinite(d)) {
                    out.writeNumber(d);
                } else {
                    out.writeString(String.valueOf(d));
                }
            }
            case BYTES_VALUE -> out.writeString(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                out.writeStartArray();
                for (AnyValue v : value.getArrayValue().getValuesList()) {
                    write(out, v);
                }
                out.writeEndArray();
            }
            case KVLIST_VALUE -> {
                out.writeStartObject();
                for (KeyValue kv : value.getKvlistValue().getValuesList()) {
                    out.writeFieldName(kv.getKey());
                    write(out, kv.getValue());
                }
                out.writeEndObject();
            }
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> out.writeNull();
        }
    }
}
