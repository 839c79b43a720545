package dev.logdist.spool;

import dev.logdist.model.Chunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The on-disk frame of one journal record, {@code magic, length, crc32(payload)} then the payload
 * {@code seq, idLength, id, messages, json}: the sequence number travels inside the checksummed payload so that a
 * record found by resynchronisation after corruption still knows who it is.
 */
final class JournalRecord {

    static final int MAGIC = 0x4C4F474A; // "LOGJ"
    static final int HEADER = 12;
    /** seq, idLength, messages. */
    static final int MIN_PAYLOAD = 8 + 2 + 4;
    /**
     * 256 MiB: the length's first byte is then below 0x20, a byte valid JSON never holds raw, so a frame forged inside
     * a chunk's JSON can never pass for a record when resynchronising.
     */
    static final int MAX_PAYLOAD = 256 << 20;

    private JournalRecord() {
    }

    /** The chunk id's bytes, checked to fit a record along with the chunk. */
    static byte[] idBytes(Chunk chunk) {
        byte[] id = chunk.chunkId().getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xFFFF) {
            throw new IllegalArgumentException("chunk id longer than 65535 bytes");
        }
        long payload = (long) MIN_PAYLOAD + id.length + chunk.json().length;
        if (payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException("chunk of " + payload + " bytes is larger than a journal record can be");
        }
        return id;
    }

    /**
     * Puts the frame of {@code chunk} as record {@code seq} into {@code out} (which has room for it), checksum included:
     * one copy of the chunk's bytes, straight into the buffer that is written, and one pass of the CRC over them.
     */
    static void put(ByteBuffer out, Chunk chunk, byte[] id, long seq, CRC32 crc) {
        int payload = MIN_PAYLOAD + id.length + chunk.json().length;
        int at = out.position();
        out.putInt(MAGIC).putInt(payload).putInt(0).putLong(seq);
        out.putShort((short) id.length).put(id).putInt(chunk.messages()).put(chunk.json());
        crc.reset();
        crc.update(out.slice(at + HEADER, payload));
        out.putInt(at + 8, (int) crc.getValue());
    }

    static int frameSize(Chunk chunk) {
        return frameSize(chunk, chunk.chunkId().getBytes(StandardCharsets.UTF_8));
    }

    static int frameSize(Chunk chunk, byte[] id) {
        return HEADER + MIN_PAYLOAD + id.length + chunk.json().length;
    }

    /** The payload length announced by a header, or -1 when these 12 bytes are not a record's header. */
    static int payloadLength(ByteBuffer header) {
        int magic = header.getInt(0);
        int length = header.getInt(4);
        return magic == MAGIC && length >= MIN_PAYLOAD && length <= MAX_PAYLOAD ? length : -1;
    }

    /** The sequence number of a frame whose checksum and layout hold, or -1; for recovery, which needs no chunk. */
    static long validSeq(ByteBuffer header, byte[] payload) {
        JournalEntry e = decode(header, payload);
        return e == null ? -1 : e.seq();
    }

    /** The record in {@code payload}, or null when its checksum does not match the header's or it does not parse. */
    static JournalEntry decode(ByteBuffer header, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != header.getInt(8)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        long seq = b.getLong();
        int idLength = b.getShort() & 0xFFFF;
        if (seq <= 0 || idLength > payload.length - MIN_PAYLOAD) {
            return null;
        }
        byte[] id = new byte[idLength];
        b.get(id);
        int messages = b.getInt();
        byte[] json = new byte[b.remaining()];
        b.get(json);
        return new JournalEntry(seq, new Chunk(new String(id, StandardCharsets.UTF_8), messages, json));
    }
}
