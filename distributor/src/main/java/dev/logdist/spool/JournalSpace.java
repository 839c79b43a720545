package dev.logdist.spool;

import java.io.IOException;
import java.nio.file.FileStore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file system's usable space as last read (at most every 100 ms, and again before refusing), minus what was
 * appended since, so that the room check on an event loop is volatile reads and never a system call.
 */
final class JournalSpace {

    private static final long STALE_NANOS = 100_000_000L;

    private final FileStore store;
    private final long reserve;
    private final AtomicLong writtenSinceRead = new AtomicLong();
    private volatile long usable = Long.MAX_VALUE;
    private volatile long readAt;

    JournalSpace(FileStore store, long reserve) {
        this.store = store;
        this.reserve = reserve;
    }

    void refresh() {
        if (reserve == 0) {
            return;
        }
        long now = System.nanoTime();
        try {
            usable = store.getUsableSpace();
        } catch (IOException e) {
            usable = 0; // cannot tell: better refuse than write into a disk that may be full
        }
        writtenSinceRead.set(0);
        readAt = now;
    }

    void refreshIfStale() {
        if (System.nanoTime() - readAt > STALE_NANOS) {
            refresh();
        }
    }

    /** Whether {@code bytes} more leave the reserve free. */
    boolean fits(long bytes) {
        return reserve == 0 || usable - writtenSinceRead.get() - bytes >= reserve;
    }

    void wrote(long bytes) {
        writtenSinceRead.addAndGet(bytes);
    }

    long reserve() {
        return reserve;
    }
}
