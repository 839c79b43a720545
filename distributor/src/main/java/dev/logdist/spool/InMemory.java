package dev.logdist.spool;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which journal records are also on their way through the memory queues, so that the replay leaves them to the fast
 * path: per analyzer the records queued or being delivered, and how far the keeper has settled (a record above that
 * mark may be about to be queued, so the replay does not touch it yet).
 */
final class InMemory {

    private final Set<Long>[] queued;
    private final AtomicLongArray settled;

    /** {@code lastSeqs}: per analyzer the last record in its journal now, all of them the replay's. */
    @SuppressWarnings("unchecked")
    InMemory(long[] lastSeqs) {
        queued = new Set[lastSeqs.length];
        for (int i = 0; i < lastSeqs.length; i++) {
            queued[i] = ConcurrentHashMap.newKeySet();
        }
        settled = new AtomicLongArray(lastSeqs);
    }

    void add(int analyzer, long seq) {
        queued[analyzer].add(seq);
    }

    void remove(int analyzer, long seq) {
        queued[analyzer].remove(seq);
    }

    /** The keeper has decided, for every record of the analyzer up to {@code seq}, whether it is queued. */
    void settle(int analyzer, long seq) {
        settled.accumulateAndGet(analyzer, seq, Math::max);
    }

    /** Whether the replay must leave the record alone: queued in memory, or not settled yet. */
    boolean leaveAlone(int analyzer, long seq) {
        return seq > settled.get(analyzer) || queued[analyzer].contains(seq);
    }

    int size(int analyzer) {
        return queued[analyzer].size();
    }
}
