package dev.logdist.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted low-water mark and the runs of records done above it, in one file of two slots written in turn in
 * place, each {@code magic, generation, cursor, n, n x (from, to), crc32}: the valid slot of the higher generation is
 * the state, so a crash or power cut in the middle of a write leaves the slot written before it. No new file, no
 * rename: a write is one positioned write to blocks the file already has, even on a full disk. An unreadable file
 * means "replay everything still on disk" (duplicates, never loss). The single-state file of earlier versions is
 * still read, and kept until a slot written after it is valid.
 */
final class JournalCursor implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCursor.class);
    private static final String NAME = "cursor";
    private static final int LEGACY_MAGIC = 0x4C4F4743; // "LOGC": one state, renamed over the old one
    private static final int MAGIC = 0x4C4F4745; // "LOGE": a slot
    private static final int HEADER = 24;
    /** The most done runs a slot holds (the journal keeps fewer). */
    static final int MAX_RUNS = 4096;
    /** Where the second slot starts: room for the first slot's largest state. */
    static final int SLOT_BYTES = 72 * 1024;

    /** The cursor and done runs as {@code {from, to, from, to...}}, inclusive. */
    record State(long cursor, long[] doneRuns) {
    }

    private final FileChannel file;
    private long generation;

    private JournalCursor(FileChannel file, long generation) {
        this.file = file;
        this.generation = generation;
    }

    /** Opens the cursor file of {@code dir} for writing, creating it if there is none. */
    static JournalCursor open(Path dir) throws IOException {
        long generation = 0;
        try {
            Slot latest = latest(Files.readAllBytes(dir.resolve(NAME)));
            generation = latest == null ? 0 : latest.generation();
        } catch (NoSuchFileException e) {
            // a new journal
        }
        return new JournalCursor(FileChannel.open(dir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), generation);
    }

    static State read(Path dir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(NAME));
        } catch (NoSuchFileException e) {
            return new State(0, new long[0]);
        }
        Slot latest = latest(bytes);
        if (latest != null) {
            return latest.state();
        }
        State legacy = legacy(bytes);
        if (legacy != null) {
            return legacy;
        }
        // replaying what is left is duplicates at worst; refusing to open would be an outage
        LOG.warn("journal {}: unreadable cursor file; every record still on disk will be replayed", dir);
        return new State(0, new long[0]);
    }

    /**
     * Writes the state into the slot not holding the latest one; {@code force}: to the disk before returning
     * (survives power loss), else to the OS only (survives the process), as cheap as a cursor kept a few milliseconds
     * behind the deliveries needs to be.
     */
    void write(State state, boolean force) throws IOException {
        long[] runs = state.doneRuns();
        if (runs.length / 2 > MAX_RUNS) {
            throw new IllegalArgumentException("at most " + MAX_RUNS + " done runs fit a cursor slot");
        }
        long next = generation + 1;
        ByteBuffer b = ByteBuffer.allocate(HEADER + 8 * runs.length + 4).putInt(MAGIC).putLong(next)
                .putLong(state.cursor()).putInt(runs.length / 2);
        for (long v : runs) {
            b.putLong(v);
        }
        b.putInt(b.limit() - 4, crc(b.array(), 0, b.limit() - 4)).position(0);
        // generation 1 goes to the second slot, so that an earlier version's state in the first stays until then
        long at = next % 2 == 1 ? SLOT_BYTES : 0;
        while (b.hasRemaining()) {
            at += file.write(b, at);
        }
        if (force) {
            file.force(false);
        }
        generation = next;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private record Slot(long generation, State state) {
    }

    /** The valid slot of the higher generation, or null. */
    private static Slot latest(byte[] bytes) {
        Slot first = slot(bytes, 0);
        Slot second = slot(bytes, SLOT_BYTES);
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return first.generation() > second.generation() ? first : second;
    }

    private static Slot slot(byte[] bytes, int at) {
        if (bytes.length < at + HEADER + 4) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int runs = b.getInt(at + 20);
        if (b.getInt(at) != MAGIC || runs < 0 || runs > MAX_RUNS) {
            return null;
        }
        int end = at + HEADER + 16 * runs;
        if (bytes.length < end + 4 || b.getInt(end) != crc(bytes, at, end - at)) {
            return null;
        }
        long[] done = new long[2 * runs];
        b.position(at + HEADER);
        b.asLongBuffer().get(done);
        return new Slot(b.getLong(at + 4), new State(b.getLong(at + 12), done));
    }

    /** An earlier version's file: {@code magic, cursor, n, n x (from, to), crc32}. */
    private static State legacy(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < 20 || b.getInt(0) != LEGACY_MAGIC) {
            return null;
        }
        int runs = b.getInt(12);
        if (runs < 0 || runs > MAX_RUNS || bytes.length < 20 + 16 * runs
                || b.getInt(16 + 16 * runs) != crc(bytes, 0, 16 + 16 * runs)) {
            return null;
        }
        long[] done = new long[2 * runs];
        b.position(16);
        b.asLongBuffer().get(done);
        return new State(b.getLong(4), done);
    }

    private static int crc(byte[] bytes, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }
}
