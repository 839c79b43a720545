package dev.logdist.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Agents as real ones behave: each posts packets with ids of its own at a steady pace and, when a packet gets no 202
 * (the distributor is down, answers 503, the connection breaks), sends the same packet again until it does. What
 * they record is the ground truth of the loss tests: every packet answered 202, by agent and packet id, with its
 * message count.
 */
final class Agents implements AutoCloseable {

    /** A packet an agent got 202 for. */
    record Sent(String agentId, String packetId, int messages) {
    }

    private final int port;
    private final int agents;
    private final long pauseNanos;
    private final int maxPackets;
    private final Http http = new Http();
    private final Map<String, Sent> accepted = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final Set<Integer> statuses = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pool;
    private final List<Future<?>> loops = new ArrayList<>();

    /** {@code agents} agents, each sending a packet every {@code pause} and at most {@code maxPackets} in all. */
    Agents(int port, int agents, Duration pause, int maxPackets) {
        this.port = port;
        this.agents = agents;
        this.pauseNanos = pause.toNanos();
        this.maxPackets = maxPackets;
        this.pool = Executors.newFixedThreadPool(agents);
    }

    Agents start() {
        for (int a = 0; a < agents; a++) {
            String agent = "agent-" + a;
            Random random = new Random(a);
            loops.add(pool.submit(() -> run(agent, random)));
        }
        return this;
    }

    private Void run(String agent, Random random) throws Exception {
        // the agents number their packets alike ("1", "2", ...): only the agent id tells them apart
        for (int n = 1; n <= maxPackets && running.get(); n++) {
            String packetId = Integer.toString(n);
            int messages = 1 + random.nextInt(20);
            byte[] body = Packets.packet(random, agent, packetId, messages);
            while (running.get()) {
                if (send(body)) {
                    accepted.put(agent + " " + packetId, new Sent(agent, packetId, messages));
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a real agent's back-off before it retries
            }
            LockSupport.parkNanos(pauseNanos);
        }
        return null;
    }

    private boolean send(byte[] body) {
        try {
            HttpResponse<String> r = http.postJson(port, "/logs", body);
            answered.incrementAndGet();
            statuses.add(r.statusCode());
            return r.statusCode() == 202;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return false;
        } catch (Exception e) { // refused, reset, timed out: the distributor is down; send it again
            return false;
        }
    }

    /** The packets answered 202 so far, keyed by {@code "<agentId> <packetId>"}. */
    Map<String, Sent> accepted() {
        return Map.copyOf(accepted);
    }

    long acceptedCount() {
        return accepted.size();
    }

    /** Every status the distributor answered with. */
    Set<Integer> statuses() {
        return Set.copyOf(statuses);
    }

    /** Stops sending (a packet in flight is finished or given up) and waits for the agents. */
    void stop() throws Exception {
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }
}
