package dev.logdist.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class MessageLedgerTest {

    @Test
    void should_split_unit_chunks_exactly_by_weight() {
        MessageLedger ledger = new MessageLedger(WeightTable.of(List.of("a", "b", "c"), new double[] {4, 2, 1}));
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picks.add(ledger.assign(1));
        }
        assertThat(picks).filteredOn(i -> i == 0).hasSize(4);
        assertThat(picks).filteredOn(i -> i == 1).hasSize(2);
        assertThat(picks).filteredOn(i -> i == 2).hasSize(1);
        assertThat(ledger.assignedSnapshot()).containsExactly(4, 2, 1);
    }

    @Test
    void should_weigh_messages_not_packets() {
        // one analyzer gets the 90-message packets, the other many small ones, until messages are 50/50
        MessageLedger ledger = new MessageLedger(WeightTable.of(List.of("a", "b"), new double[] {1, 1}));
        for (int i = 0; i < 100; i++) {
            ledger.assign(i % 10 == 0 ? 90 : 10);
        }
        long[] counts = ledger.assignedSnapshot();
        assertThat(counts[0] + counts[1]).isEqualTo(10 * 90 + 90 * 10);
        assertThat(Math.abs(counts[0] - counts[1])).isLessThanOrEqualTo(2 * 90);
    }

    @Test
    void should_hold_shares_where_weighting_packets_is_nine_points_off() {
        // agents alternating 10- and 190-message packets: a packet-weighted 4/3/1/2 round robin gives a3 1 %, not 10 %
        MessageLedger ledger = new MessageLedger(WeightTable.of(List.of("a1", "a2", "a3", "a4"), new double[] {0.4, 0.3, 0.1, 0.2}));
        long total = 0;
        for (int i = 0; total < 100_000; i++) {
            int size = i % 2 == 0 ? 10 : 190;
            ledger.assign(size);
            total += size;
        }
        long[] counts = ledger.assignedSnapshot();
        double[] shares = {0.4, 0.3, 0.1, 0.2};
        for (int i = 0; i < 4; i++) {
            assertThat(Math.abs(counts[i] - shares[i] * total)).as("a%d", i + 1).isLessThanOrEqualTo(190);
        }
    }

    @Test
    void should_count_every_assignment_once_under_many_concurrent_callers() throws Exception {
        MessageLedger ledger = new MessageLedger(WeightTable.of(List.of("a", "b", "c", "d"), new double[] {0.4, 0.3, 0.1, 0.2}));
        int threads = 16;
        int perThread = 20_000;
        AtomicLongArray seen = new AtomicLongArray(4);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> sent = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            sent.add(pool.submit(() -> {
                start.await();
                long mine = 0;
                for (int i = 0; i < perThread; i++) {
                    int size = ThreadLocalRandom.current().nextInt(1, 101);
                    seen.addAndGet(ledger.assign(size), size);
                    mine += size;
                }
                return mine;
            }));
        }
        start.countDown();
        long total = 0;
        for (Future<Long> f : sent) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long[] counts = ledger.assignedSnapshot();
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            assertThat(counts[i]).as("analyzer %d", i).isEqualTo(seen.get(i));
            assertThat(Math.abs(counts[i] - ledger.table().share(i) * total)).isLessThanOrEqualTo(100);
            sum += counts[i];
        }
        assertThat(sum).isEqualTo(total);
    }

    @Test
    void should_start_afresh_when_weights_change() {
        MessageLedger ledger = new MessageLedger(WeightTable.of(List.of("a", "b"), new double[] {1, 1}));
        for (int i = 0; i < 10; i++) {
            ledger.assign(5);
        }
        ledger.reset(ledger.table().withWeight(0, 3));
        for (int i = 0; i < 8; i++) {
            ledger.assign(1);
        }
        assertThat(ledger.assignedSnapshot()).containsExactly(6, 2);
    }

    @Test
    void should_refuse_empty_chunks() {
        MessageLedger ledger = new MessageLedger(WeightTable.of(List.of("a"), new double[] {1}));
        assertThatThrownBy(() -> ledger.assign(0)).hasMessage("a chunk has at least one message, got 0");
    }

    @Test
    void should_name_the_analyzer_with_a_bad_weight() {
        assertThatThrownBy(() -> WeightTable.of(List.of("a", "b"), new double[] {1, -0.5}))
                .hasMessage("weight of 'b' must be a number > 0, got -0.5");
        assertThatThrownBy(() -> WeightTable.of(List.of("a"), new double[] {Double.NaN}))
                .hasMessage("weight of 'a' must be a number > 0, got NaN");
    }

    @Test
    void should_let_neither_a_weight_change_nor_a_failover_change_undo_the_other() throws Exception {
        MessageLedger ledger = new MessageLedger(WeightTable.of(List.of("a", "b", "c"), new double[] {1, 1, 1}));
        int rounds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> weights = pool.submit(() -> {
                start.await();
                for (int i = 1; i <= rounds; i++) {
                    ledger.changeWeight(0, i);
                }
                return null;
            });
            Future<?> failovers = pool.submit(() -> {
                start.await();
                for (int i = 1; i <= rounds; i++) {
                    ledger.activate(new boolean[] {true, i % 2 == 0, true});
                }
                return null;
            });
            start.countDown();
            weights.get(30, TimeUnit.SECONDS);
            failovers.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        // the last weight written and the last set of active analyzers both stand
        assertThat(ledger.table().weights()[0]).isEqualTo(rounds);
        assertThat(ledger.activeSnapshot()).containsExactly(true, rounds % 2 == 0, true);
    }
}
