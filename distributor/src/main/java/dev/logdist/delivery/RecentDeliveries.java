package dev.logdist.delivery;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Messages delivered per analyzer over the last {@link #WINDOW_SECONDS} seconds: a ring of per-second buckets, each
 * stamped with its second. A delivery adds to the bucket of the current second (replacing, with one compare-and-set,
 * a bucket left over from a second a whole ring ago); a read sums the buckets of the last full seconds, the current
 * one (still filling) left out, so the window is the {@link #WINDOW_SECONDS} seconds before the current one. No lock.
 *
 * <p>The clock is monotonic ({@link System#nanoTime()} by default), so a wall-clock step moves nothing.
 */
public final class RecentDeliveries {

    /** The window's length in seconds. */
    public static final int WINDOW_SECONDS = 60;

    /** The window's full seconds and the one still filling. */
    private static final int SLOTS = WINDOW_SECONDS + 1;

    private static final class Bucket {
        final long second;
        final AtomicLongArray messages;

        Bucket(long second, int analyzers) {
            this.second = second;
            this.messages = new AtomicLongArray(analyzers);
        }
    }

    /** What one read saw: messages per analyzer in the window and how many seconds the window covers so far. */
    public record Window(long[] messages, int seconds) {

        public long total() {
            long sum = 0;
            for (long m : messages) {
                sum += m;
            }
            return sum;
        }

        /** The analyzer's share of the window's messages; 0 when the window holds none. */
        public double share(int analyzer) {
            long total = total();
            return total == 0 ? 0.0 : (double) messages[analyzer] / total;
        }

        /** The analyzer's messages per second over the window (over the seconds since start, while shorter). */
        public double perSecond(int analyzer) {
            return seconds == 0 ? 0.0 : (double) messages[analyzer] / seconds;
        }
    }

    private final int analyzers;
    private final LongSupplier nanoClock;
    private final long startSecond;
    private final AtomicReferenceArray<Bucket> ring = new AtomicReferenceArray<>(SLOTS);

    public RecentDeliveries(int analyzers) {
        this(analyzers, System::nanoTime);
    }

    /** With a clock of its own in nanoseconds (monotonic, as {@link System#nanoTime()}), for tests. */
    public RecentDeliveries(int analyzers, LongSupplier nanoClock) {
        this.analyzers = analyzers;
        this.nanoClock = nanoClock;
        this.startSecond = second();
    }

    private long second() {
        return Math.floorDiv(nanoClock.getAsLong(), TimeUnit.SECONDS.toNanos(1));
    }

    /** Counts {@code messages} delivered to {@code analyzer} now. */
    public void add(int analyzer, long messages) {
        long now = second();
        int slot = (int) Math.floorMod(now, (long) SLOTS);
        Bucket b = ring.get(slot);
        while (b == null || b.second < now) {
            Bucket fresh = new Bucket(now, analyzers);
            if (ring.compareAndSet(slot, b, fresh)) {
                b = fresh;
                break;
            }
            b = ring.get(slot); // another delivery rolled it over first
        }
        // b.second > now only if this thread stood still for a whole ring: counted in that newer second
        b.messages.addAndGet(analyzer, messages);
    }

    /** The last {@link #WINDOW_SECONDS} full seconds (fewer right after start). */
    public Window window() {
        long now = second();
        long[] sums = new long[analyzers];
        for (int i = 0; i < SLOTS; i++) {
            Bucket b = ring.get(i);
            if (b != null && b.second < now && b.second >= now - WINDOW_SECONDS) {
                for (int a = 0; a < analyzers; a++) {
                    sums[a] += b.messages.get(a);
                }
            }
        }
        int seconds = (int) Math.min(WINDOW_SECONDS, now - startSecond);
        return new Window(sums, seconds);
    }
}
