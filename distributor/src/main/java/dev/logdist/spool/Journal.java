package dev.logdist.spool;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One analyzer's write-ahead journal: every accepted chunk is appended (a packet's chunks all or none) before it is
 * acknowledged, kept until {@link #done} in any order, and replayed after a restart from the persisted low-water mark;
 * only the page-cache write happens under the append lock, never an fsync or a read.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /** Done runs kept with the cursor (16 bytes each); records done beyond them are delivered again after a restart. */
    private static final int MAX_DONE_RUNS = JournalCursor.MAX_RUNS;
    /** What an append waits for under {@link Durability#WRITE}: nothing more once written. */
    private static final CompletableFuture<Void> WRITTEN = CompletableFuture.completedFuture(null);

    private final String name;
    private final Path dir;
    private final JournalOptions options;
    private final JournalIndex index = new JournalIndex();
    private final JournalSpace space;
    private final JournalWriter writer;
    final JournalForcer forcer;
    private final JournalSyncer syncer;
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    private final ReentrantLock cursorLock = new ReentrantLock();
    private final JournalRecovery recovered;
    private final JournalCursor cursorFile;
    private volatile boolean closed;
    private volatile long persistedCursor;
    private volatile long persistedMarks = -1;
    private volatile long cursorWrittenAt;
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();

    /** Opens (recovering what is there) or creates the journal in {@code dir}, which no other journal may use. */
    public Journal(String name, Path dir, JournalOptions options) throws IOException {
        this.name = name;
        this.dir = dir;
        this.options = options;
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            dirLock = lockChannel.tryLock();
            if (dirLock == null) {
                throw new IOException("journal directory " + dir + " is in use by another process");
            }
            space = new JournalSpace(Files.getFileStore(dir), options.minFreeBytes());
            recovered = JournalRecovery.run(dir, index);
            cursorFile = JournalCursor.open(dir);
            space.refresh();
        } catch (OverlappingFileLockException e) {
            lockChannel.close();
            throw new IOException("journal directory " + dir + " is already open in this process", e);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        persistedCursor = recovered.cursor();
        if (index.pendingRecords() > 0 || recovered.corruptBytesSkipped() > 0) {
            LOG.info("journal of {}: {} pending records recovered ({} bytes) above cursor {}; {} corrupt bytes skipped",
                    name, index.pendingRecords(), index.pendingBytes(), recovered.cursor(),
                    recovered.corruptBytesSkipped());
        }
        writer = new JournalWriter(dir, options.segmentBytes(), index, recovered.nextSeq(),
                recovered.lastSegmentNumber());
        forcer = new JournalForcer(dir, writer);
        syncer = options.durability() == Durability.FSYNC ? new JournalSyncer(name, forcer::force) : null;
    }

    /**
     * Appends one record per chunk, all or none: on any failure the journal is as before and the exception is thrown
     * ({@link JournalFullException} when refused before writing). The future completes at once with
     * {@link Durability#WRITE}, after an fsync covering the records with {@link Durability#FSYNC}.
     */
    public JournalAppend append(List<Chunk> chunks) throws IOException {
        if (chunks.isEmpty()) {
            return new JournalAppend(0, 0, CompletableFuture.completedFuture(null));
        }
        byte[][] ids = new byte[chunks.size()][];
        int[] lengths = new int[ids.length];
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = JournalRecord.idBytes(chunks.get(i)); // checked outside the lock
            lengths[i] = JournalRecord.frameSize(chunks.get(i), ids[i]);
            total += lengths[i];
        }
        if (closed) {
            throw new IOException("journal of " + name + " is closed");
        }
        space.refreshIfStale(); // the system call outside the append lock
        long first;
        try {
            first = writer.append(chunks, ids, lengths, total, this::checkRoom);
        } catch (JournalFullException e) {
            refused.incrementAndGet();
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            failed.incrementAndGet();
            throw e;
        }
        space.wrote(total);
        appended.addAndGet(ids.length);
        if (syncer == null) {
            return new JournalAppend(first, ids.length, WRITTEN);
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        syncer.await(durable);
        return new JournalAppend(first, ids.length, durable);
    }

    private void checkRoom(long bytes) throws JournalFullException {
        if (index.pendingBytes() + bytes > options.maxPendingBytes()) {
            throw new JournalFullException("journal of " + name + " holds " + index.pendingBytes()
                    + " pending bytes; " + bytes + " more would pass its cap of " + options.maxPendingBytes());
        }
        if (!space.fits(bytes)) {
            space.refresh(); // the disk may have been freed since: refusing on an old reading would be an outage
            if (!space.fits(bytes)) {
                throw new JournalFullException("disk of the journal of " + name + " is below its free-space reserve of "
                        + space.reserve() + " bytes");
            }
        }
    }

    /**
     * Marks records delivered, in any order; unknown or already done numbers are ignored. The cursor moves over the
     * contiguous done prefix and is persisted, with the runs of records done above it, at most every
     * {@code cursorIntervalMillis} from here when it moved (written to the OS), and by sync (every second, forced) and
     * close; segments wholly below a persisted cursor are deleted then. A crash delivers again what was done since the
     * last persist, a power cut what was done since the last forced one.
     */
    public void done(long... seqs) {
        if (closed) {
            return; // the directory may belong to another journal by now: nothing is written after close
        }
        if (index.done(seqs) && System.currentTimeMillis() - cursorWrittenAt >= options.cursorIntervalMillis()) {
            // to the OS only, in either durability: the cursor decides what is delivered again, never what is kept, and
            // forcing it every few milliseconds made the disk slower for the appends' own fsyncs; sync() forces it
            persistCursor(false, false);
        }
    }

    /**
     * The oldest pending records from the cursor on, in order, without those {@code skip} answers true for (called
     * without any journal lock held); at most {@code maxRecords} and {@code maxBytes} (frame bytes), but at least one
     * record if any is left. File contents are read without any lock.
     */
    public List<JournalEntry> readPending(int maxRecords, long maxBytes, LongPredicate skip) throws IOException {
        if (closed) {
            throw new IOException("journal of " + name + " is closed");
        }
        List<Long> lost = new ArrayList<>();
        List<JournalEntry> entries = JournalReader.read(JournalReader.choose(index, maxRecords, maxBytes, skip),
                index::holds, lost);
        if (!lost.isEmpty()) {
            // never deliverable: left pending they would hold the cursor back for ever
            unreadable.addAndGet(lost.size());
            done(lost.stream().mapToLong(Long::longValue).toArray());
        }
        return entries;
    }

    /**
     * Forces what was appended (the owner calls this every second in either durability), re-reads the free disk space
     * and persists the cursor if it moved.
     */
    public void sync() throws IOException {
        forcer.force();
        space.refresh();
        persistCursor(true, true);
    }

    /**
     * Writes the cursor and done runs if they changed, then deletes the segments the cursor leaves behind; waits for a
     * concurrent write if asked.
     */
    private void persistCursor(boolean wait, boolean force) {
        if (wait) {
            cursorLock.lock();
        } else if (!cursorLock.tryLock()) {
            return; // another done() is writing it right now
        }
        try {
            long marks = index.doneMarks();
            if (index.cursor() != persistedCursor || marks != persistedMarks) {
                JournalCursor.State state = index.state(MAX_DONE_RUNS);
                cursorFile.write(state, force);
                persistedCursor = state.cursor();
                persistedMarks = marks;
            }
            cursorWrittenAt = System.currentTimeMillis();
            for (JournalSegment spent : index.removeSpent(persistedCursor)) {
                Files.deleteIfExists(spent.path);
            }
        } catch (IOException e) {
            LOG.warn("journal of {}: could not persist cursor {} or delete spent segments: {}", name, index.cursor(),
                    e.toString());
        } finally {
            cursorLock.unlock();
        }
    }

    /**
     * Whether an append may be tried: not closed, pending bytes under the cap, and free space above the reserve at
     * the last reading. Volatile reads only, never a lock or a system call: safe on an event loop.
     */
    /** The highest record number given so far (0 when none ever was): every record up to it is appended. */
    public long lastSeq() {
        return writer.nextSeq() - 1;
    }

    public boolean hasRoom() {
        return !closed && index.pendingBytes() < options.maxPendingBytes() && space.fits(0);
    }

    public long pendingRecords() {
        return index.pendingRecords();
    }

    public long pendingBytes() {
        return index.pendingBytes();
    }

    public JournalStats stats() {
        return new JournalStats(index.pendingRecords(), index.pendingBytes(), appended.get(), index.cursor(),
                index.doneAboveCursor(), recovered.recoveredRecords(), recovered.corruptBytesSkipped(),
                unreadable.get(), refused.get(), failed.get(), forcer.rounds(), forcer.nanos(), forcer.maxNanos());
    }

    /** Forces everything, completes waiting futures, persists the cursor and releases the directory. */
    @Override
    public void close() throws IOException {
        if (!writer.close()) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            if (syncer != null) {
                syncer.stop(); // forces for the futures still waiting
            }
            forcer.force();
        } catch (IOException e) {
            failure = e; // the cursor is still worth persisting: it only saves duplicates
        }
        try {
            persistCursor(true, true);
        } finally {
            writer.closeFiles();
            cursorFile.close();
            dirLock.release();
            lockChannel.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
