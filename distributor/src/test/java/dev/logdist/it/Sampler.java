package dev.logdist.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a distributor's {@code GET /analyzers} every 25 ms and keeps what it saw, each sample stamped with when its
 * answer arrived: when an analyzer was first seen in a state, and delivery rates over any window. Bounded: it stops
 * after {@code maxSeconds}.
 */
final class Sampler implements AutoCloseable {

    /** What the distributor said of each analyzer at {@code at} ({@link System#nanoTime()}). */
    record Sample(long at, String[] states, long[] delivered, long[] spooled) {

        /** Messages per second delivered to analyzer {@code i} from {@code earlier} to this sample. */
        double rate(Sample earlier, int i) {
            return (delivered[i] - earlier.delivered[i]) * 1e9 / (at - earlier.at);
        }
    }

    private final Http http;
    private final int port;
    private final long maxSeconds;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    Sampler(Http http, int port, long maxSeconds) {
        this.http = http;
        this.port = port;
        this.maxSeconds = maxSeconds;
    }

    void start() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        timer.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() > end) {
                timer.shutdown();
                return;
            }
            try {
                JsonNode view = http.getJson(port, "/analyzers");
                int n = view.size();
                String[] states = new String[n];
                long[] delivered = new long[n];
                long[] spooled = new long[n];
                for (int i = 0; i < n; i++) {
                    states[i] = view.get(i).get("state").asText();
                    delivered[i] = view.get(i).get("messagesDelivered").asLong();
                    spooled[i] = view.get(i).get("spooled").asLong();
                }
                samples.add(new Sample(System.nanoTime(), states, delivered, spooled));
            } catch (Exception e) {
                // a missed sample; the next one follows
            }
        }, 0, 25, TimeUnit.MILLISECONDS);
    }

    /** The first sample at or after {@code since} in which analyzer {@code i} was in {@code state}. */
    Optional<Sample> first(int i, String state, long since) {
        return samples.stream().filter(s -> s.at() - since >= 0 && s.states()[i].equals(state)).findFirst();
    }

    /** The newest sample; waits for a first one. */
    Sample latest() {
        org.awaitility.Awaitility.await("a first sample").atMost(java.time.Duration.ofSeconds(10)).until(() -> !samples.isEmpty());
        return samples.get(samples.size() - 1);
    }

    /** The first sample at or after {@code at}, else the newest. */
    Sample at(long at) {
        return samples.stream().filter(s -> s.at() - at >= 0).findFirst().orElseGet(this::latest);
    }

    /** The most analyzer {@code i} had spooled in any sample. */
    long maxSpooled(int i) {
        return samples.stream().mapToLong(s -> s.spooled()[i]).max().orElse(0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
