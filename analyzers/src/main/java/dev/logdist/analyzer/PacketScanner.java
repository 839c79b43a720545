package dev.logdist.analyzer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the analyzer needs from a request body in one streaming pass: each packet's agent id, id and message
 * count. The body is one packet, or several coalesced as {@code {"packets": [...]}}; the distributor sends the parts of
 * a split packet as packets of their own whose {@code packetId} is the chunk id {@code <packetId>#<k>}.
 */
final class PacketScanner {

    /**
     * One packet of a request: its agent id and id (each null when absent or not a string) and how many messages it
     * holds.
     */
    record Seen(String agentId, String packetId, int messages) {

        /** What duplicates are recognised by: agent and packet id, the packet id alone without an agent; null without an id. */
        String key() {
            if (packetId == null) {
                return null;
            }
            // neither id can hold a space, so "<agentId> <packetId>" never equals another agent's key or a bare id
            return agentId == null ? packetId : agentId + ' ' + packetId;
        }
    }

    private final JsonFactory json = new JsonFactory();

    /** The packets in {@code body}; an {@link IOException} when it is not a packet or a list of packets. */
    List<Seen> scan(byte[] body) throws IOException {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the body must be a JSON object");
            }
            List<Seen> packets = new ArrayList<>(1);
            String agentId = null;
            String packetId = null;
            int messages = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "packets" -> scanPackets(p, value, packets);
                    case "agentId" -> agentId = id(p, value, field);
                    case "packetId" -> packetId = id(p, value, field);
                    case "messages" -> messages = countArray(p, value);
                    default -> p.skipChildren();
                }
            }
            if (messages >= 0) {
                packets.add(new Seen(agentId, packetId, messages));
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
            String agentId = null;
            String packetId = null;
            int messages = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "agentId" -> agentId = id(p, v, field);
                    case "packetId" -> packetId = id(p, v, field);
                    case "messages" -> messages = countArray(p, v);
                    default -> p.skipChildren();
                }
            }
            if (messages < 0) {
                throw new IOException("a packet has no messages array");
            }
            packets.add(new Seen(agentId, packetId, messages));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IOException("packets must hold packet objects");
        }
    }

    /**
     * An id as the distributor's validation admits it (visible characters, no spaces), or null when it is not a
     * string; anything else is refused, since the journal line {@code <messages> <agentId> <packetId>} is split at
     * spaces and newlines.
     */
    private static String id(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        String text = p.getText();
        if (text.isEmpty()) {
            throw new IOException(field + " must not be empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IOException(field + " must be visible characters without spaces");
            }
        }
        return text;
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
