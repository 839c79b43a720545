package dev.logdist.delivery;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts, per analyzer, what was delivered (since start, and over the last minute in {@link RecentDeliveries}), what
 * failed, was rejected or re-routed; safe under concurrent updates.
 */
public final class DeliveryStats {

    /** One analyzer's counters. */
    public static final class Counters {
        private final LongAdder messages = new LongAdder();
        private final LongAdder packets = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder rejected = new LongAdder();
        private final LongAdder rerouted = new LongAdder();
        private final LongAdder lost = new LongAdder();

        public long messages() {
            return messages.sum();
        }

        public long packets() {
            return packets.sum();
        }

        public long failures() {
            return failures.sum();
        }

        public long rejected() {
            return rejected.sum();
        }

        public long rerouted() {
            return rerouted.sum();
        }

        public long lost() {
            return lost.sum();
        }
    }

    private final Counters[] counters;
    private final RecentDeliveries recent;

    public DeliveryStats(List<String> names) {
        this(names, System::nanoTime);
    }

    /** With a monotonic clock in nanoseconds of its own for the last minute's window, for tests. */
    public DeliveryStats(List<String> names, LongSupplier nanoClock) {
        this.counters = new Counters[names.size()];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new Counters();
        }
        this.recent = new RecentDeliveries(names.size(), nanoClock);
    }

    public void delivered(int analyzer, int messages) {
        counters[analyzer].messages.add(messages);
        counters[analyzer].packets.increment();
        recent.add(analyzer, messages);
    }

    /** Messages delivered per analyzer over the last minute. */
    public RecentDeliveries.Window recent() {
        return recent.window();
    }

    /** A delivery attempt failed (it may still be retried, re-routed or spooled). */
    public void failedAttempt(int analyzer) {
        counters[analyzer].failures.increment();
    }

    /** The analyzer answered a 4xx other than 429: the chunk was parked under rejected/. */
    public void rejected(int analyzer) {
        counters[analyzer].rejected.increment();
    }

    /** The chunk failed on its way to this analyzer and went to another (failover policy). */
    public void rerouted(int analyzer) {
        counters[analyzer].rerouted.increment();
    }

    /** The chunk could be neither delivered nor kept: the disk refused it. Should stay 0. */
    public void lost(int analyzer) {
        counters[analyzer].lost.increment();
    }

    public Counters of(int analyzer) {
        return counters[analyzer];
    }

    public long totalMessages() {
        long sum = 0;
        for (Counters c : counters) {
            sum += c.messages();
        }
        return sum;
    }
}
