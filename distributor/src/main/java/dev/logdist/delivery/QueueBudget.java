package dev.logdist.delivery;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Bytes of chunk JSON waiting in each analyzer's in-memory queue, capped so that a slow or dead analyzer cannot fill
 * the heap: past the cap a chunk goes to the spool (hold) or is refused with 503 (failover).
 */
public final class QueueBudget {

    private final long maxBytesPerAnalyzer;
    private final AtomicLongArray queued;

    public QueueBudget(int analyzers, long maxBytesPerAnalyzer) {
        this.maxBytesPerAnalyzer = maxBytesPerAnalyzer;
        this.queued = new AtomicLongArray(analyzers);
    }

    /** Reserves room for {@code bytes}; false (and nothing reserved) when the analyzer's queue is at its cap. */
    public boolean tryReserve(int analyzer, long bytes) {
        while (true) {
            long now = queued.get(analyzer);
            if (now > 0 && now + bytes > maxBytesPerAnalyzer) {
                return false;
            }
            if (queued.compareAndSet(analyzer, now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(int analyzer, long bytes) {
        queued.addAndGet(analyzer, -bytes);
    }
}
