package dev.logdist.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The last minute's window: per-second buckets on a clock the test turns, no sleeps. */
class RecentDeliveriesTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    // an arbitrary start, not on a second boundary, as System.nanoTime() may be anywhere (even negative)
    private final AtomicLong clock = new AtomicLong(-7 * SECOND + 123_456_789L);

    private void advance(double seconds) {
        clock.addAndGet((long) (seconds * SECOND));
    }

    @Test
    void should_be_empty_at_start_with_zero_shares_and_rates() {
        RecentDeliveries recent = new RecentDeliveries(2, clock::get);
        RecentDeliveries.Window w = recent.window();
        assertThat(w.total()).isZero();
        assertThat(w.share(0)).isZero();
        assertThat(w.perSecond(1)).isZero();
        advance(5);
        assertThat(recent.window().share(0)).isZero();
        assertThat(recent.window().perSecond(0)).isZero();
    }

    @Test
    void should_count_a_second_once_it_is_over() {
        RecentDeliveries recent = new RecentDeliveries(2, clock::get);
        advance(1);
        recent.add(0, 30);
        recent.add(1, 10);
        assertThat(recent.window().total()).as("the second still filling is left out").isZero();
        advance(1);
        RecentDeliveries.Window w = recent.window();
        assertThat(w.messages()).containsExactly(30, 10);
        assertThat(w.share(0)).isCloseTo(0.75, within(1e-12));
        assertThat(w.share(1)).isCloseTo(0.25, within(1e-12));
        assertThat(w.seconds()).isEqualTo(2);
        assertThat(w.perSecond(0)).isCloseTo(15.0, within(1e-12));
    }

    @Test
    void should_drop_seconds_older_than_the_window() {
        RecentDeliveries recent = new RecentDeliveries(2, clock::get);
        recent.add(0, 100); // second 0
        advance(1);
        recent.add(1, 50);  // second 1
        advance(RecentDeliveries.WINDOW_SECONDS);   // now second 61: the window is seconds 1..60
        RecentDeliveries.Window w = recent.window();
        assertThat(w.messages()).containsExactly(0, 50);
        assertThat(w.seconds()).isEqualTo(RecentDeliveries.WINDOW_SECONDS);
        assertThat(w.perSecond(1)).isCloseTo(50.0 / 60, within(1e-12));
        advance(1);
        assertThat(recent.window().total()).isZero();
        assertThat(recent.window().share(1)).isZero();
    }

    @Test
    void should_roll_buckets_over_and_keep_a_sliding_minute_of_steady_traffic() {
        RecentDeliveries recent = new RecentDeliveries(2, clock::get);
        // three minutes: every second 10 messages to analyzer 0 and 30 to analyzer 1, in quarter-second steps
        for (int quarter = 0; quarter < 4 * 180; quarter++) {
            recent.add(0, 10 / 2 * (quarter % 2));
            recent.add(1, 30 / 2 * (quarter % 2));
            advance(0.25);
        }
        RecentDeliveries.Window w = recent.window();
        assertThat(w.messages()).containsExactly(600, 1800);
        assertThat(w.share(0)).isCloseTo(0.25, within(1e-12));
        assertThat(w.perSecond(1)).isCloseTo(30.0, within(1e-12));

        // then the split changes: after half a minute the window holds both, after a minute only the new one
        for (int s = 0; s < 30; s++) {
            recent.add(0, 30);
            recent.add(1, 10);
            advance(1);
        }
        assertThat(recent.window().share(0)).isCloseTo((30 * 10 + 30 * 30) / 2400.0, within(1e-12));
        for (int s = 0; s < 30; s++) {
            recent.add(0, 30);
            recent.add(1, 10);
            advance(1);
        }
        assertThat(recent.window().share(0)).isCloseTo(0.75, within(1e-12));
        assertThat(recent.window().messages()).containsExactly(1800, 600);
    }

    @Test
    void should_skip_idle_seconds_and_reuse_their_slots() {
        RecentDeliveries recent = new RecentDeliveries(1, clock::get);
        recent.add(0, 7);
        advance(1000); // far past the ring: every slot is stale
        assertThat(recent.window().total()).isZero();
        recent.add(0, 3);
        advance(1);
        assertThat(recent.window().messages()).containsExactly(3);
    }

    @Test
    void should_lose_nothing_under_concurrent_deliveries_across_a_roll_over() throws Exception {
        RecentDeliveries recent = new RecentDeliveries(4, clock::get);
        int threads = 8;
        int perThread = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int analyzer = t % 4;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    recent.add(analyzer, 1);
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (int s = 0; s < 5; s++) { // the clock moves on while they count: buckets roll over under them
            advance(1);
            Thread.onSpinWait();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        advance(1);
        assertThat(recent.window().total()).isEqualTo((long) threads * perThread);
    }

    @Test
    void should_be_fed_by_the_delivery_stats() {
        DeliveryStats stats = new DeliveryStats(List.of("a", "b"), clock::get);
        stats.delivered(0, 20);
        stats.delivered(1, 60);
        advance(1);
        assertThat(stats.recent().share(1)).isCloseTo(0.75, within(1e-12));
        advance(RecentDeliveries.WINDOW_SECONDS);
        assertThat(stats.recent().share(1)).isZero();
        assertThat(stats.of(1).messages()).as("since start stays").isEqualTo(60);
    }
}
