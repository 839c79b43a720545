package dev.logdist.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.logdist.model.Chunk;
import dev.logdist.model.LogPacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a validated packet into what the balancer routes: the packet itself, forwarded as the bytes it arrived as,
 * when it holds at most {@code maxChunkMessages}; else near-equal chunks with ids {@code <packetId>#<n>}, so that
 * no single large packet can skew the shares by more than one chunk. A chunk is cut from the packet's bytes: each
 * message travels exactly as the agent wrote it, whether its packet was split or not.
 */
public final class PacketChunker {

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final int maxChunkMessages;

    public PacketChunker(int maxChunkMessages) {
        this.maxChunkMessages = maxChunkMessages;
    }

    /** The packet's id: the agent's, or a fresh random UUID when it sent none. */
    public static String packetIdOf(LogPacket packet) {
        if (packet.packetId() != null) {
            return packet.packetId();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    public List<Chunk> chunks(LogPacket packet, String packetId) {
        int messages = packet.messageCount();
        if (messages <= maxChunkMessages) {
            return List.of(new Chunk(packetId, messages, wholePacket(packet, packetId)));
        }
        int parts = (messages + maxChunkMessages - 1) / maxChunkMessages;
        List<Chunk> chunks = new ArrayList<>(parts);
        int from = 0;
        for (int n = 0; n < parts; n++) {
            int size = (messages - from) / (parts - n);
            String chunkId = packetId + "#" + (n + 1);
            chunks.add(new Chunk(chunkId, size, cut(packet, chunkId, from, from + size)));
            from += size;
        }
        return chunks;
    }

    private byte[] wholePacket(LogPacket packet, String packetId) {
        if (!packet.complete()) {
            // some of its messages were refused: only the taken ones travel
            return cut(packet, packetId, 0, packet.messageCount());
        }
        if (packet.packetId() != null) {
            return packet.json();
        }
        if (packet.packetIdField()) {
            // an explicit "packetId": null: rewrite rather than add a second packetId key
            return cut(packet, packetId, 0, packet.messageCount());
        }
        return withPacketId(packet.json(), packetId);
    }

    private static final byte[] PACKET_ID_FIELD = "\"packetId\":\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * Inserts {@code "packetId":"<id>",} right after the opening brace of a validated, non-empty JSON object;
     * {@code packetId} is one the distributor made (a UUID: nothing in it to escape).
     */
    static byte[] withPacketId(byte[] json, String packetId) {
        int brace = 0;
        while (json[brace] != '{') {
            brace++;
        }
        int field = PACKET_ID_FIELD.length + packetId.length() + 2;
        byte[] out = new byte[json.length + field];
        System.arraycopy(json, 0, out, 0, brace + 1);
        int at = brace + 1;
        System.arraycopy(PACKET_ID_FIELD, 0, out, at, PACKET_ID_FIELD.length);
        at += PACKET_ID_FIELD.length;
        for (int i = 0; i < packetId.length(); i++) {
            out[at++] = (byte) packetId.charAt(i); // ASCII: one byte a character
        }
        out[at++] = '"';
        out[at++] = ',';
        System.arraycopy(json, brace + 1, out, at, json.length - brace - 1);
        return out;
    }

    /** {@code {"agentId":…,"packetId":…,"messages":[…]}} with the packet's messages {@code from} to {@code to}. */
    private static byte[] cut(LogPacket packet, String packetId, int from, int to) {
        byte[] head = ("{\"agentId\":\"" + new String(QUOTE.quoteAsString(packet.agentId())) + "\",\"packetId\":\""
                + new String(QUOTE.quoteAsString(packetId)) + "\",\"messages\":[").getBytes(StandardCharsets.UTF_8);
        int[] bounds = packet.messageBounds();
        int size = head.length + 2 + (to - from - 1);
        for (int m = from; m < to; m++) {
            size += bounds[2 * m + 1] - bounds[2 * m];
        }
        byte[] out = new byte[size];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        for (int m = from; m < to; m++) {
            if (m > from) {
                out[at++] = ',';
            }
            int length = bounds[2 * m + 1] - bounds[2 * m];
            System.arraycopy(packet.json(), bounds[2 * m], out, at, length);
            at += length;
        }
        out[at++] = ']';
        out[at] = '}';
        return out;
    }
}
