package dev.logdist.lines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;

/**
 * What a {@code POST /logs} body is, told from its media type and its first bytes, without reading it through: JSON
 * lines by their media type, an array of records by its opening bracket, records sent as {@code application/json}
 * by a first object that is no packet.
 */
final class BodyShapes {

    private final JsonFactory peek;

    BodyShapes(JsonFactory peek) {
        this.peek = peek;
    }

    static boolean isLines(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-ndjson", "application/ndjson", "application/jsonlines", "application/x-jsonlines",
                 "application/jsonl", "application/json-lines" -> true;
            default -> false;
        };
    }

    static int firstByte(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b;
            }
        }
        return -1;
    }

    /** Whether the body opens with an object that names neither {@code agentId} nor {@code messages}: a record. */
    boolean isRecord(byte[] json) {
        try (JsonParser p = peek.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("agentId") || name.equals("messages")) {
                    return false;
                }
                p.nextToken();
                p.skipChildren();
            }
            return true;
        } catch (IOException e) {
            return false; // not JSON up to its first object's end: the packet's own 400 says where
        }
    }
}
