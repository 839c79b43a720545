package dev.logdist.it;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Agents posting packets of a fixed size with unique packet ids at a steady rate, each on a fixed schedule (one packet
 * every {@code periodMs}), and what they were answered: the ids accepted with 202, and how many got anything else.
 * Bounded: each agent stops after {@code maxSeconds} or when told to.
 */
final class SteadyAgents {

    private final Http http;
    private final int port;
    private final String prefix;
    private final int agents;
    private final long periodNanos;
    private final int messages;
    private final long maxSeconds;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool;
    private final List<Future<?>> running = new ArrayList<>();
    private volatile boolean paused;
    private volatile boolean done;

    SteadyAgents(Http http, int port, String prefix, int agents, long periodMs, int messages, long maxSeconds) {
        this.http = http;
        this.port = port;
        this.prefix = prefix;
        this.agents = agents;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMs);
        this.messages = messages;
        this.maxSeconds = maxSeconds;
        this.pool = Executors.newFixedThreadPool(agents);
    }

    void start() {
        for (int a = 0; a < agents; a++) {
            int agent = a;
            running.add(pool.submit(() -> {
                Random random = new Random(agent * 31L + prefix.hashCode());
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
                long next = System.nanoTime() + agent * periodNanos / agents;
                for (int seq = 0; !done && System.nanoTime() < end; ) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    // on schedule, but no burst to catch up after a pause or a slow answer
                    next = Math.max(next + periodNanos, System.nanoTime() - periodNanos);
                    if (paused) {
                        continue;
                    }
                    String id = prefix + "-agent" + agent + "-" + seq++;
                    HttpResponse<String> r = http.postJson(port, "/logs", Packets.packet(random, "agent-" + agent, id, messages));
                    if (r.statusCode() == 202) {
                        accepted.add(id);
                    } else {
                        refused.incrementAndGet();
                        refusals.add(r.statusCode() + " " + r.body());
                    }
                }
                return null;
            }));
        }
    }

    /** Stops posting until {@link #resume()}; a post under way still ends. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    /** Stops the agents and waits for their last posts. */
    void finish() throws Exception {
        done = true;
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    /** Stops the agents without waiting, for clean-up after a failure. */
    void stop() {
        done = true;
        pool.shutdownNow();
    }

    /** The ids answered 202 so far. */
    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    int acceptedCount() {
        return accepted.size();
    }

    long refused() {
        return refused.get();
    }

    List<String> refusals() {
        return List.copyOf(refusals);
    }

    int messagesPerPacket() {
        return messages;
    }
}
