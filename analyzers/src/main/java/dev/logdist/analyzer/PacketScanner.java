package dev.logdist.analyzer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the analyzer needs from a request body in one streaming pass: each packet's id and message count.
 * The body is one packet, or several coalesced as {@code {"packets": [...]}}.
 */
final class PacketScanner {

    /** One packet of a request: its id (null when absent) and how many messages it holds. */
    record Seen(String packetId, int messages) {
    }

    private final JsonFactory json = new JsonFactory();

    /** The packets in {@code body}; an {@link IOException} when it is not a packet or a list of packets. */
    List<Seen> scan(byte[] body) throws IOException {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the body must be a JSON object");
            }
            List<Seen> packets = new ArrayList<>(1);
            String packetId = null;
            int messages = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "packets" -> scanPackets(p, value, packets);
                    case "packetId" -> packetId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "messages" -> messages = countArray(p, value);
                    default -> p.skipChildren();
                }
            }
            if (messages >= 0) {
                packets.add(new Seen(packetId, messages));
            }
            if (packets.isEmpty()) {
                throw new IOException("the body holds no packet with a messages array");
            }
            return packets;
        }
    }

    private void scanPackets(JsonParser p, JsonToken value, List<Seen> packets) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IOException("packets must be an array");
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String packetId = null;
            int messages = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("packetId")) {
                    packetId = v == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if (field.equals("messages")) {
                    messages = countArray(p, v);
                } else {
                    p.skipChildren();
                }
            }
            if (messages < 0) {
                throw new IOException("a packet has no messages array");
            }
            packets.add(new Seen(packetId, messages));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IOException("packets must hold packet objects");
        }
    }

    private static int countArray(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IOException("messages must be an array");
        }
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            n++;
        }
        return n;
    }
}
