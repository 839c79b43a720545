package dev.logdist.spool;

import static dev.logdist.spool.JournalChunks.SMALL;
import static dev.logdist.spool.JournalChunks.all;
import static dev.logdist.spool.JournalChunks.chunk;
import static dev.logdist.spool.JournalChunks.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFsyncTest {

    private static final JournalOptions FSYNC = SMALL.withDurability(Durability.FSYNC).withSegmentBytes(64 << 10);

    @TempDir
    Path dir;

    @Test
    void many_concurrent_appenders_share_fsyncs_and_every_future_completes() throws Exception {
        int threads = 8;
        int perThread = 250;
        ConcurrentLinkedQueue<JournalAppend> appends = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Journal j = new Journal("a", dir, FSYNC)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        appends.add(j.append(List.of(chunk(base + i), chunk(base + i, 200))));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(appends.stream().map(JournalAppend::durable).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            JournalStats stats = j.stats();
            assertThat(stats.appendedSinceStart()).isEqualTo(2L * threads * perThread);
            assertThat(stats.fsyncs()).as("group commit: far fewer fsyncs than appends").isPositive()
                    .isLessThan(threads * perThread / 2);
            assertThat(stats.fsyncNanosMax()).isPositive().isLessThanOrEqualTo(stats.fsyncNanosTotal());
            assertThat(seqs(all(j))).hasSize(2 * threads * perThread).isSorted().doesNotHaveDuplicates();
            assertThat(appends).allSatisfy(a -> assertThat(a.seqs()).containsExactly(a.firstSeq(), a.firstSeq() + 1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void appends_do_not_wait_for_a_running_fsync_and_the_next_fsync_serves_them_all() throws Exception {
        CountDownLatch forceHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Journal j = new Journal("a", dir, FSYNC)) {
            j.forcer.beforeForce = () -> {
                if (first.getAndSet(false)) {
                    forceHeld.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            JournalAppend blocked = j.append(List.of(chunk(0)));
            assertThat(forceHeld.await(10, TimeUnit.SECONDS)).isTrue();
            ConcurrentLinkedQueue<JournalAppend> during = new ConcurrentLinkedQueue<>();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        during.add(j.append(List.of(chunk(i))));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(30, TimeUnit.SECONDS); // they return although the fsync is held
            }
            assertThat(during).hasSize(200).noneMatch(a -> a.durable().isDone());
            assertThat(blocked.durable()).isNotDone();
            assertThat(j.hasRoom()).as("the room check does not wait for the fsync either").isTrue();
            assertThat(j.readPending(1000, Long.MAX_VALUE, s -> false)).as("nor does reading").hasSize(201);
            j.done(1, 2, 3); // nor does done

            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> during.stream().allMatch(a -> a.durable().isDone()));
            assertThat(blocked.durable()).isCompleted();
            assertThat(during).allMatch(a -> !a.durable().isCompletedExceptionally());
            assertThat(j.stats().fsyncs()).as("the held one and one for all 200 that came meanwhile").isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void close_completes_the_futures_still_waiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Journal j = new Journal("a", dir, FSYNC);
        j.forcer.beforeForce = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        JournalAppend a = j.append(List.of(chunk(0)));
        assertThat(a.durable()).isNotDone();
        release.countDown();
        j.close();
        assertThat(a.durable()).isCompleted();
        try (Journal reopened = new Journal("a", dir, FSYNC)) {
            assertThat(seqs(all(reopened))).containsExactly(1L);
        }
    }
}
