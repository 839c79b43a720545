package dev.logdist.spool;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

/**
 * The append side: numbers records and writes each append whole into the active segment under the append lock, which
 * covers the page-cache write only (no fsync, no reading); rolls segments, retrying a failed roll on the next append,
 * and hands rolled segments to the next force round to be forced and closed outside the lock.
 */
final class JournalWriter {

    /** The direct buffer frames are put into before they are written: 1 MiB per journal, allocated on first use. */
    private static final int SCRATCH_BYTES = 1 << 20;

    /** Refuses an append of {@code bytes} before anything is written. */
    interface RoomCheck {
        void check(long bytes) throws JournalFullException;
    }

    /** What a force round must cover: segments rolled since the last round, the active one, new directory entries. */
    record Written(List<JournalSegment> rolled, JournalSegment active, boolean newFiles) {
    }

    private final Path dir;
    private final long segmentBytes;
    private final JournalIndex index;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final CRC32 crc = new CRC32();
    private ByteBuffer scratch;
    private JournalSegment active;
    private long nextSeq;
    private long lastSegmentNumber;
    private final List<JournalSegment> rolled = new ArrayList<>();
    private boolean newFiles;
    private boolean closed;

    JournalWriter(Path dir, long segmentBytes, JournalIndex index, long nextSeq, long lastSegmentNumber) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.index = index;
        this.nextSeq = nextSeq;
        this.lastSegmentNumber = lastSegmentNumber;
    }

    /** The number the next record will get. */
    long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Numbers and frames the chunks and writes them as one append, all or none, and indexes them. Frames go through one
     * direct buffer of this writer's: the chunk's bytes are copied once (a heap buffer would be copied again by the
     * JDK into a temporary direct one), and a round of small records is one write call.
     *
     * @param ids     each chunk's id bytes ({@link JournalRecord#idBytes})
     * @param lengths each chunk's frame length
     * @return the first record's sequence number
     */
    long append(List<Chunk> chunks, byte[][] ids, int[] lengths, long total, RoomCheck room) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("journal is closed");
            }
            room.check(total);
            JournalSegment segment = segmentFor(total);
            long first = nextSeq;
            long start = segment.size();
            boolean interrupted = Thread.interrupted();
            try {
                writeFrames(segment, chunks, ids, lengths, first);
            } catch (IOException | RuntimeException | Error e) {
                segment.abandon(e);
                if (segment.broken()) {
                    nextSeq += chunks.size(); // its garbage may hold some of these records: never number others so
                }
                throw e;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            segment.appended(total);
            nextSeq += chunks.size();
            index.appended(segment, first, start, lengths);
            return first;
        } finally {
            lock.unlock();
        }
    }

    private void writeFrames(JournalSegment segment, List<Chunk> chunks, byte[][] ids, int[] lengths, long first)
            throws IOException {
        if (scratch == null) {
            scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
        }
        ByteBuffer out = scratch.clear();
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] > out.remaining() && out.position() > 0) {
                segment.write(out.flip());
                out.clear();
            }
            if (lengths[i] > out.capacity()) { // a record larger than the buffer: on its own
                ByteBuffer big = ByteBuffer.allocate(lengths[i]);
                JournalRecord.put(big, chunks.get(i), ids[i], first + i, crc);
                segment.write(big.flip());
            } else {
                JournalRecord.put(out, chunks.get(i), ids[i], first + i, crc);
            }
        }
        if (out.position() > 0) {
            segment.write(out.flip());
        }
    }

    /** The segment to write {@code bytes} into: the active one, or a new one if it is full or broken. */
    private JournalSegment segmentFor(long bytes) throws IOException {
        JournalSegment current = active;
        if (current != null && !current.broken()
                && (current.size() == 0 || current.size() + bytes <= segmentBytes)) {
            return current;
        }
        // if this throws, nothing changed: the next append tries the roll again
        JournalSegment next = JournalSegment.create(dir, lastSegmentNumber + 1, nextSeq);
        lastSegmentNumber++;
        if (current != null) {
            if (current.broken()) {
                current.repair();
            }
            rolled.add(current);
        }
        index.roll(current, next);
        active = next;
        newFiles = true;
        return next;
    }

    /** What was written since the last call, for a force round. */
    Written takeWritten() {
        lock.lock();
        try {
            Written w = new Written(List.copyOf(rolled), active, newFiles);
            rolled.clear();
            newFiles = false;
            return w;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further appends; answers false if already closed. */
    boolean close() {
        lock.lock();
        try {
            boolean was = closed;
            closed = true;
            return !was;
        } finally {
            lock.unlock();
        }
    }

    void closeFiles() {
        lock.lock();
        try {
            rolled.forEach(JournalSegment::closeWriter);
            if (active != null) {
                active.closeWriter();
            }
        } finally {
            lock.unlock();
        }
    }
}
