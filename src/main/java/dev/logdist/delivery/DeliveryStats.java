package dev.logdist.delivery;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Counts, per analyzer, what was delivered, what failed and what was parked; safe under concurrent updates. */
public final class DeliveryStats {

    /** Whether an analyzer took its last delivery (UP) or its last delivery ran out of retries (DOWN). */
    public enum State { UP, DOWN }

    /** One analyzer's counters. */
    public static final class Counters {
        private final LongAdder messages = new LongAdder();
        private final LongAdder packets = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder parked = new LongAdder();
        private volatile State state = State.UP;

        public long messages() {
            return messages.sum();
        }

        public long packets() {
            return packets.sum();
        }

        public long failures() {
            return failures.sum();
        }

        public long parked() {
            return parked.sum();
        }

        public State state() {
            return state;
        }
    }

    private final List<String> names;
    private final Counters[] counters;

    public DeliveryStats(List<String> names) {
        this.names = List.copyOf(names);
        this.counters = new Counters[names.size()];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new Counters();
        }
    }

    public void delivered(int analyzer, int messages) {
        Counters c = counters[analyzer];
        c.messages.add(messages);
        c.packets.increment();
        c.state = State.UP;
    }

    /** A delivery attempt failed (it may still be retried). */
    public void failedAttempt(int analyzer) {
        counters[analyzer].failures.increment();
    }

    /** A chunk ran out of retries and was parked on disk. */
    public void parked(int analyzer) {
        Counters c = counters[analyzer];
        c.parked.increment();
        c.state = State.DOWN;
    }

    public Counters of(int analyzer) {
        return counters[analyzer];
    }

    public int indexOf(String name) {
        return names.indexOf(name);
    }

    public long totalMessages() {
        long sum = 0;
        for (Counters c : counters) {
            sum += c.messages();
        }
        return sum;
    }
}
