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
    private boolean[] active;
    private double[] shares;
    private long[] assigned;
    private long total;
    private long largestChunk;

    public MessageLedger(WeightTable table) {
        reset(table);
    }

    /** Picks the target for a chunk of {@code messages} and records the assignment. */
    public int assign(long messages) {
        return assign(messages, -1);
    }

    /**
     * Picks an active target other than {@code excluded} (-1 for none) for a chunk of {@code messages} and records
     * the assignment; -1 when no target may take it.
     */
    public int assign(long messages, int excluded) {
        if (messages < 1) {
            throw new IllegalArgumentException("a chunk has at least one message, got " + messages);
        }
        lock.lock();
        try {
            largestChunk = Math.max(largestChunk, messages);
            int chosen = earliest(messages, excluded, true);
            if (chosen < 0) {
                chosen = earliest(messages, excluded, false);
            }
            if (chosen >= 0) {
                assigned[chosen] += messages;
                total += messages;
            }
            return chosen;
        } finally {
            lock.unlock();
        }
    }

    private int earliest(long messages, int excluded, boolean withinBound) {
        double after = total + messages;
        int chosen = -1;
        double earliest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < assigned.length; i++) {
            if (!active[i] || i == excluded) {
                continue;
            }
            double share = shares[i];
            boolean wouldStayWithinBound = assigned[i] + messages - share * after <= largestChunk + 1e-9;
            double deadline = (assigned[i] + largestChunk) / share;
            if ((wouldStayWithinBound || !withinBound) && deadline < earliest) {
                earliest = deadline;
                chosen = i;
            }
        }
        return chosen;
    }

    /** Starts counting afresh under new weights: what was assigned under the old ones does not carry over. */
    public void reset(WeightTable newTable) {
        boolean[] all = new boolean[newTable.size()];
        java.util.Arrays.fill(all, true);
        reset(newTable, all);
    }

    /**
     * Starts counting afresh with only the {@code active} targets sharing the traffic by their weights (the
     * failover policy's view of the analyzers that are up); with none active, all share it.
     */
    public void reset(WeightTable newTable, boolean[] active) {
        lock.lock();
        try {
            table = newTable;
            this.active = active.clone();
            double sum = 0;
            for (int i = 0; i < active.length; i++) {
                sum += active[i] ? newTable.share(i) : 0;
            }
            if (sum == 0) {
                java.util.Arrays.fill(this.active, true);
                sum = 1;
            }
            shares = new double[active.length];
            for (int i = 0; i < active.length; i++) {
                shares[i] = this.active[i] ? newTable.share(i) / sum : 0;
            }
            assigned = new long[newTable.size()];
            total = 0;
            largestChunk = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes one target's weight and starts counting afresh, keeping which targets are active: read and written under
     * the one lock that a change of the active targets takes too, so neither undoes the other. Returns the new table.
     */
    public WeightTable changeWeight(int target, double weight) {
        lock.lock();
        try {
            WeightTable next = table.withWeight(target, weight);
            reset(next, active);
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Starts counting afresh with only the {@code active} targets sharing the traffic, under the current weights. */
    public void activate(boolean[] activeTargets) {
        lock.lock();
        try {
            reset(table, activeTargets);
        } finally {
            lock.unlock();
        }
    }

    /** Which targets currently share the traffic. */
    public boolean[] activeSnapshot() {
        lock.lock();
        try {
            return active.clone();
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
