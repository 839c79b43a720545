package dev.logdist.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.logdist.model.Chunk;
import dev.logdist.model.LogMessage;
import dev.logdist.model.LogPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a validated packet into what the balancer routes: the packet itself, forwarded as the bytes it arrived as,
 * when it holds at most {@code maxChunkMessages}; else near-equal chunks with ids {@code <packetId>#<n>}, so that
 * no single large packet can skew the shares by more than one chunk.
 */
public final class PacketChunker {

    private final int maxChunkMessages;
    private final JsonFactory json = new JsonFactory();

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
        List<LogMessage> messages = packet.messages();
        if (messages.size() <= maxChunkMessages) {
            return List.of(new Chunk(packetId, messages.size(), wholePacket(packet, packetId)));
        }
        int parts = (messages.size() + maxChunkMessages - 1) / maxChunkMessages;
        List<Chunk> chunks = new ArrayList<>(parts);
        int from = 0;
        for (int n = 0; n < parts; n++) {
            int size = (messages.size() - from) / (parts - n);
            String chunkId = packetId + "#" + (n + 1);
            chunks.add(new Chunk(chunkId, size, write(packet.agentId(), chunkId, messages.subList(from, from + size))));
            from += size;
        }
        return chunks;
    }

    private byte[] wholePacket(LogPacket packet, String packetId) {
        if (packet.packetId() != null) {
            return packet.json();
        }
        if (packet.packetIdField()) {
            // an explicit "packetId": null: rewrite rather than add a second packetId key
            return write(packet.agentId(), packetId, packet.messages());
        }
        return withPacketId(packet.json(), packetId);
    }

    /** Inserts {@code "packetId":"<id>",} right after the opening brace of a validated, non-empty JSON object. */
    static byte[] withPacketId(byte[] json, String packetId) {
        int brace = 0;
        while (json[brace] != '{') {
            brace++;
        }
        byte[] field = ("\"packetId\":\"" + packetId + "\",").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[json.length + field.length];
        System.arraycopy(json, 0, out, 0, brace + 1);
        System.arraycopy(field, 0, out, brace + 1, field.length);
        System.arraycopy(json, brace + 1, out, brace + 1 + field.length, json.length - brace - 1);
        return out;
    }

    private byte[] write(String agentId, String packetId, List<LogMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * messages.size() + 128);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("agentId", agentId);
            g.writeStringField("packetId", packetId);
            g.writeArrayFieldStart("messages");
            for (LogMessage m : messages) {
                writeMessage(g, m);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a chunk to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void writeMessage(JsonGenerator g, LogMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("timestamp", m.timestamp());
        g.writeStringField("level", m.level().name());
        if (m.source() != null) {
            g.writeStringField("source", m.source());
        }
        if (m.service() != null) {
            g.writeStringField("service", m.service());
        }
        g.writeStringField("message", m.message());
        if (!m.attributes().isEmpty()) {
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> a : m.attributes().entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
