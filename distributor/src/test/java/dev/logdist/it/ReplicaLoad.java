package dev.logdist.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Agents behind a load balancer in front of several distributor replicas: each posts packets of 1..40 messages with its
 * own ids at a steady pace to its replica (agent number modulo the replicas listed now); a packet that gets anything
 * but a 202 is sent again, same id, to the next replica, as a balancer that retries would. Records every id answered
 * 202 (as {@code "<agentId> <packetId>"}, as {@link AnalyzerJournals#copiesByPacket} keys them, with its message count), when each 202 came, and every answer that is not a 202: a 503 with {@code Retry-After}
 * is allowed, anything else (a 5xx without it, another status) is kept as a violation. Bounded in time.
 */
final class ReplicaLoad implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String prefix;
    private final int agents;
    private final long periodNanos;
    private volatile List<String> replicas;
    final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    final AtomicLong packets = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong unreachable = new AtomicLong();
    /** When 202s came (System.nanoTime), to find the longest pause in acknowledgements. */
    private final ConcurrentSkipListSet<Long> acknowledgedAt = new ConcurrentSkipListSet<>();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool;
    private final List<Future<?>> running = new ArrayList<>();
    private volatile boolean done;

    /** {@code replicas}: base URLs such as {@code http://127.0.0.1:8082}; {@code periodMs}: one packet per agent per. */
    ReplicaLoad(String prefix, int agents, long periodMs, List<String> replicas) {
        this.prefix = prefix;
        this.agents = agents;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMs);
        this.replicas = List.copyOf(replicas);
        this.pool = Executors.newFixedThreadPool(agents);
    }

    /** The replicas the balancer sends to from now on (one joins, one leaves). */
    void replicas(List<String> now) {
        replicas = List.copyOf(now);
    }

    ReplicaLoad start() {
        for (int a = 0; a < agents; a++) {
            int agent = a;
            running.add(pool.submit(() -> {
                Random random = new Random(agent * 31L + prefix.hashCode());
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
                long next = System.nanoTime() + agent * periodNanos / agents;
                for (int seq = 0; !done && System.nanoTime() < end; seq++) {
                    LockSupport.parkNanos(next - System.nanoTime()); // the pace, not a wait for anything
                    next = Math.max(next + periodNanos, System.nanoTime() - periodNanos);
                    String id = prefix + "-agent" + agent + "-" + seq;
                    int size = 1 + random.nextInt(40);
                    String agentId = prefix + "-agent-" + agent;
                    byte[] packet = Packets.packet(random, agentId, id, size);
                    for (int attempt = 0; attempt < 30 && !done && System.nanoTime() < end; attempt++) {
                        List<String> now = replicas;
                        if (post(now.get((agent + attempt) % now.size()), packet)) {
                            accepted.put(agentId + " " + id, size);
                            packets.incrementAndGet();
                            acknowledgedAt.add(System.nanoTime() * 64 + agent % 64); // unique per agent and instant
                            break;
                        }
                        if (attempt >= now.size() - 1) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // every replica said no: Retry-After
                        }
                    }
                }
                return null;
            }));
        }
        return this;
    }

    private boolean post(String replica, byte[] packet) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(replica + "/logs"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(packet)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                return true;
            }
            if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                unavailable.incrementAndGet();
            } else {
                violations.add(r.statusCode() + " from " + replica + ": " + r.body());
            }
            return false;
        } catch (java.io.IOException e) {
            unreachable.incrementAndGet(); // a replica stopped or cut off: nothing was acknowledged
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** 202s answered after {@code sinceNanos} (System.nanoTime). */
    long acknowledgedSince(long sinceNanos) {
        return acknowledgedAt.tailSet(sinceNanos * 64).size();
    }

    /** The longest time without any 202 between {@code fromNanos} and the latest 202, in milliseconds. */
    long longestPauseMs(long fromNanos) {
        long previous = fromNanos;
        long longest = 0;
        for (long tagged : acknowledgedAt.tailSet(fromNanos * 64)) {
            long at = tagged / 64;
            longest = Math.max(longest, at - previous);
            previous = at;
        }
        return TimeUnit.NANOSECONDS.toMillis(longest);
    }

    /** Stops posting and waits for the agents to end (a post under way ends first). */
    void finish() throws Exception {
        done = true;
        for (Future<?> f : running) {
            f.get(90, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    @Override
    public void close() {
        done = true;
        pool.shutdownNow();
    }
}
