package dev.logdist.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file and the index of its records: written at its end only, a whole append or nothing (a failed write
 * is cut back; a segment that cannot be cut back is broken and takes no more appends). Writing is guarded by the
 * journal's append lock, the index by {@link JournalIndex}'s lock.
 */
final class JournalSegment {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSegment.class);
    static final String SUFFIX = ".seg";

    final long number;
    final Path path;
    /** The sequence number of slot 0; slots are {@code seq - firstSeq}. */
    final long firstSeq;

    // the index, guarded by JournalIndex
    private long[] starts = new long[64];
    /** A record's frame length while pending, its negation once done, 0 where no record has that number. */
    private int[] lengths = new int[64];
    private int slots;
    boolean sealed;

    // the writing, guarded by the append lock
    private FileChannel writer;
    private long size;
    private boolean broken;

    private JournalSegment(long number, Path path, long firstSeq, long size) {
        this.number = number;
        this.path = path;
        this.firstSeq = firstSeq;
        this.size = size;
    }

    static String fileName(long number) {
        return String.format("%020d%s", number, SUFFIX);
    }

    /** A new, empty segment taking appends; fails (changing nothing) when the file cannot be created. */
    static JournalSegment create(Path dir, long number, long firstSeq) throws IOException {
        Path path = dir.resolve(fileName(number));
        JournalSegment s = new JournalSegment(number, path, firstSeq, 0);
        s.writer = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return s;
    }

    /** A segment found at open: never appended to again, its index filled by the caller. */
    static JournalSegment recovered(long number, Path path, long firstSeq, long size) {
        JournalSegment s = new JournalSegment(number, path, firstSeq, size);
        s.sealed = true;
        return s;
    }

    /**
     * Writes the buffer's remaining bytes at the end of what this append wrote so far; the append's first byte was at
     * {@link #size()} and becomes part of the segment only with {@link #appended}. The caller holds the interrupt back
     * meanwhile, because a FileChannel written by an interrupted thread closes itself.
     */
    void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            if (writer.write(bytes) <= 0) {
                throw new IOException("short write to " + path + " with " + bytes.remaining() + " bytes left");
            }
        }
    }

    /** The append's {@code bytes}, all written: the segment ends after them now. */
    void appended(long bytes) {
        size += bytes;
    }

    /** A failed append: the file is cut back to where it was, or, if that fails too, the segment is broken. */
    void abandon(Throwable cause) {
        rollBack(size, cause);
    }

    private void rollBack(long start, Throwable cause) {
        try {
            writer.truncate(start);
            writer.position(start);
            if (writer.size() != start) {
                throw new IOException("size " + writer.size() + " after truncating to " + start);
            }
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            broken = true;
            LOG.error("journal segment {}: could not cut a failed append back to byte {} ({}); no more appends here",
                    path, start, e.toString());
        }
    }

    /** A broken segment's last try to drop the garbage after its whole records, through a fresh channel. */
    void repair() {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            LOG.info("journal segment {}: cut back to its whole records ({} bytes) after all", path, size);
        } catch (IOException e) {
            LOG.warn("journal segment {} keeps garbage after byte {}; recovery will skip it: {}", path, size, e.toString());
        }
    }

    /**
     * Forces the file; through a fresh channel if this one was closed (fsync covers the file, not the descriptor).
     * The interrupt is held back as in an append: an interrupted force would close the appenders' channel.
     */
    void force() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            FileChannel w = writer;
            if (w != null && w.isOpen()) {
                w.force(false);
                return;
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.force(false);
            } catch (NoSuchFileException e) {
                // deleted as spent since it was rolled: nothing in it is needed any more
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void closeWriter() {
        FileChannel w = writer;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.warn("journal segment {}: close failed: {}", path, e.toString());
            }
        }
    }

    boolean broken() {
        return broken;
    }

    long size() {
        return size;
    }

    // --- index, called under JournalIndex's lock ---

    void index(long seq, long start, int length) {
        int slot = Math.toIntExact(seq - firstSeq);
        if (slot >= lengths.length) {
            int capacity = Math.max(slot + 1, lengths.length * 2);
            starts = Arrays.copyOf(starts, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
        }
        starts[slot] = start;
        lengths[slot] = length;
        slots = Math.max(slots, slot + 1);
    }

    /** One past the highest sequence number indexed here. */
    long endSeq() {
        return firstSeq + slots;
    }

    /** See {@link #lengths}; 0 outside this segment. */
    int length(long seq) {
        long slot = seq - firstSeq;
        return slot >= 0 && slot < slots ? lengths[(int) slot] : 0;
    }

    long start(long seq) {
        return starts[(int) (seq - firstSeq)];
    }

    /** Marks a pending record done, answering its length, or 0 when it was not pending. */
    int markDone(long seq) {
        int length = length(seq);
        if (length > 0) {
            lengths[(int) (seq - firstSeq)] = -length;
            return length;
        }
        return 0;
    }
}
