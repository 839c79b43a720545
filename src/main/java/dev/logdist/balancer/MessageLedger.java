package dev.logdist.balancer;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Assigns chunks of messages to targets so that, after any prefix of traffic, every target's message count
 * stays within the largest chunk seen of its share of the total.
 *
 * <p>The rule is earliest-deadline-first over message counts. Target {@code i} with {@code c[i]} messages and
 * share {@code p[i]} falls a full largest chunk {@code M} behind its share at total {@code (c[i] + M) / p[i]}:
 * that is its deadline. A chunk of {@code n} goes to the target with the earliest deadline among those it would
 * not push more than {@code M} ahead. Some target is always at or below its share (the excesses sum to zero), so
 * that set is never empty and the upper side holds by construction; the deadline order keeps the lower side,
 * which the property tests check over random weights and chunk sizes.
 */
public final class MessageLedger {

    private final ReentrantLock lock = new ReentrantLock();
    private WeightTable table;
    private long[] assigned;
    private long total;
    private long largestChunk;

    public MessageLedger(WeightTable table) {
        reset(table);
    }

    /** Picks the target for a chunk of {@code messages} and records the assignment. */
    public int assign(long messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("a chunk has at least one message, got " + messages);
        }
        lock.lock();
        try {
            largestChunk = Math.max(largestChunk, messages);
            int chosen = earliestEligible(messages);
            assigned[chosen] += messages;
            total += messages;
            return chosen;
        } finally {
            lock.unlock();
        }
    }

    private int earliestEligible(long messages) {
        double after = total + messages;
        int chosen = -1;
        double earliest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < assigned.length; i++) {
            double share = table.share(i);
            boolean wouldStayWithinBound = assigned[i] + messages - share * after <= largestChunk + 1e-9;
            double deadline = (assigned[i] + largestChunk) / share;
            if (wouldStayWithinBound && deadline < earliest) {
                earliest = deadline;
                chosen = i;
            }
        }
        return chosen;
    }

    /** Starts counting afresh under new weights: what was assigned under the old ones does not carry over. */
    public void reset(WeightTable newTable) {
        lock.lock();
        try {
            table = newTable;
            assigned = new long[newTable.size()];
            total = 0;
            largestChunk = 0;
        } finally {
            lock.unlock();
        }
    }

    public WeightTable table() {
        lock.lock();
        try {
            return table;
        } finally {
            lock.unlock();
        }
    }

    /** A consistent copy of the per-target message counts since the last reset. */
    public long[] assignedSnapshot() {
        lock.lock();
        try {
            return assigned.clone();
        } finally {
            lock.unlock();
        }
    }
}
