package dev.logdist.spool;

import dev.logdist.model.Chunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The on-disk frame of one spooled chunk: {@code magic, length, crc32} then the payload
 * {@code idLength, id, messages, json}. A frame whose magic, length or checksum does not hold is a torn or corrupt tail.
 */
final class SpoolRecord {

    static final int MAGIC = 0x4C4F4753; // "LOGS"
    static final int HEADER = 12;
    static final int MAX_PAYLOAD = 256 << 20;

    private SpoolRecord() {
    }

    static ByteBuffer encode(Chunk chunk) {
        byte[] id = chunk.chunkId().getBytes(StandardCharsets.UTF_8);
        int payload = 2 + id.length + 4 + chunk.json().length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload);
        b.putInt(MAGIC).putInt(payload).putInt(0);
        b.putShort((short) id.length).put(id).putInt(chunk.messages()).put(chunk.json());
        CRC32 crc = new CRC32();
        crc.update(b.array(), HEADER, payload);
        b.putInt(8, (int) crc.getValue());
        return b.flip();
    }

    /** The payload length announced by a header, or -1 when the header is not a record's. */
    static int payloadLength(ByteBuffer header) {
        int magic = header.getInt(0);
        int length = header.getInt(4);
        return magic == MAGIC && length > 6 && length <= MAX_PAYLOAD ? length : -1;
    }

    /** The chunk in {@code payload}, or null when its checksum does not match the header's. */
    static Chunk decode(ByteBuffer header, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != header.getInt(8)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int idLength = b.getShort() & 0xFFFF;
        if (idLength > payload.length - 6) {
            return null;
        }
        byte[] id = new byte[idLength];
        b.get(id);
        int messages = b.getInt();
        byte[] json = new byte[b.remaining()];
        b.get(json);
        return new Chunk(new String(id, StandardCharsets.UTF_8), messages, json);
    }
}
