package dev.logdist.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted low-water mark and the runs of records done above it, {@code magic, cursor, n, n x (from, to), crc32}:
 * written to a temporary file, forced, and renamed over the old one, so that a crash leaves the old state or the new
 * one; an unreadable file means "replay everything still on disk" (duplicates, never loss).
 */
final class JournalCursor {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCursor.class);
    private static final String NAME = "cursor";
    private static final int MAGIC = 0x4C4F4743; // "LOGC"

    /** The cursor and done runs as {@code {from, to, from, to...}}, inclusive. */
    record State(long cursor, long[] doneRuns) {
    }

    private JournalCursor() {
    }

    static State read(Path dir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(NAME));
        } catch (NoSuchFileException e) {
            return new State(0, new long[0]);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length >= 20 && b.getInt(0) == MAGIC) {
            int runs = b.getInt(12);
            if (runs >= 0 && bytes.length == 20 + 16L * runs && b.getInt(bytes.length - 4) == crc(bytes)) {
                long[] done = new long[2 * runs];
                b.position(16);
                b.asLongBuffer().get(done);
                return new State(b.getLong(4), done);
            }
        }
        // replaying what is left is duplicates at worst; refusing to open would be an outage
        LOG.warn("journal {}: unreadable cursor file; every record still on disk will be replayed", dir);
        return new State(0, new long[0]);
    }

    /**
     * Writes the state; {@code force}: to the disk before the rename (survives power loss), else to the OS only
     * (survives the process), as cheap as a cursor kept a few milliseconds behind the deliveries needs to be.
     */
    static void write(Path dir, State state, boolean force) throws IOException {
        long[] runs = state.doneRuns();
        ByteBuffer b = ByteBuffer.allocate(20 + 8 * runs.length).putInt(MAGIC).putLong(state.cursor())
                .putInt(runs.length / 2);
        for (long v : runs) {
            b.putLong(v);
        }
        b.putInt(b.limit() - 4, crc(b.array())).position(0);
        Path tmp = dir.resolve(NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (force) {
                ch.force(false);
            }
        }
        Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        return (int) crc.getValue();
    }
}
