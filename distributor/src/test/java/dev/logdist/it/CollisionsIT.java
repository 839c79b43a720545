package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Faults that come from agents and operators rather than from analyzers: agents that number their packets alike and
 * send the same ids at the same moment, a packet re-sent (many times at once) while its original is still being
 * taken, and weights changed while an analyzer goes DOWN and its traffic fails over. Judged by ids: every packet
 * answered 202 against the analyzers' journals, each chunk in exactly one journal once.
 */
class CollisionsIT {

    private static final String[] NAMES = {"a", "b", "c"};
    private static final double[] WEIGHTS = {0.5, 0.3, 0.2};
    private static final int OPEN_MS = 8000;

    private final Http http = new Http();

    @Test
    void should_deliver_every_packet_of_agents_that_number_alike_and_count_none_as_a_duplicate() throws Exception {
        int agents = 6;
        int rounds = 400;
        try (Cluster cluster = new Cluster("alike", Map.of())) {
            Map<String, Integer> sent = new ConcurrentHashMap<>();
            Set<Integer> statuses = ConcurrentHashMap.newKeySet();
            CyclicBarrier together = new CyclicBarrier(agents);
            ExecutorService pool = Executors.newFixedThreadPool(agents);
            try {
                List<Future<?>> loops = new ArrayList<>();
                for (int a = 0; a < agents; a++) {
                    String agent = "agent-" + a;
                    Random random = new Random(a);
                    loops.add(pool.submit(() -> {
                        for (int n = 1; n <= rounds; n++) {
                            // every 50th packet is split into chunks "<n>#1", "<n>#2", ...: those collide too
                            int messages = n % 50 == 0 ? 600 + random.nextInt(600) : 1 + random.nextInt(20);
                            byte[] body = Packets.packet(random, agent, Integer.toString(n), messages);
                            // all agents send their packet "n" at the same moment: the same ids in flight at once
                            together.await(30, TimeUnit.SECONDS);
                            postUntilAccepted(cluster.port, body, statuses);
                            sent.put(agent + " " + n, messages);
                        }
                        return null;
                    }));
                }
                for (Future<?> loop : loops) {
                    loop.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            // no fault: nothing may be refused, not even with 503 as if it were another agent's packet in flight
            assertThat(statuses).as("answers").containsOnly(202);
            Map<String, List<Copy>> journaled = cluster.awaitJournaled(sent.keySet());
            System.out.printf("colliding agents: %d packets of %d agents numbered alike%n", sent.size(), agents);
            assertDeliveredOnce(sent, journaled);
            assertThat(journaled.keySet()).as("delivered without a 202").isEqualTo(sent.keySet());
            assertThat(cluster.repeats()).as("packets the analyzers counted as duplicates").isZero();
        }
    }

    @Test
    void should_deliver_a_packet_resent_while_its_original_is_still_being_taken_exactly_once() throws Exception {
        int packets = 40;
        int copies = 6;
        try (Cluster cluster = new Cluster("overlap", Map.of())) {
            Map<String, Integer> sent = new HashMap<>();
            Set<Integer> statuses = ConcurrentHashMap.newKeySet();
            int toldToRetry = 0;
            ExecutorService pool = Executors.newFixedThreadPool(copies);
            try {
                Random random = new Random(7);
                for (int p = 1; p <= packets; p++) {
                    String agent = "resender-" + p % 3;
                    String packetId = "r-" + p;
                    // every other packet large (four chunks of 400-500 messages, ~300 KB): slow to parse and keep
                    int messages = p % 2 == 0 ? 1600 + random.nextInt(400) : 1 + random.nextInt(20);
                    byte[] body = Packets.packet(random, agent, packetId, messages);
                    // the agent timed out and sent it again, several times, all while the first is being taken
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Integer>> sends = new ArrayList<>();
                    for (int k = 0; k < copies; k++) {
                        sends.add(pool.submit(() -> {
                            go.await();
                            return postUntilAccepted(cluster.port, body, statuses);
                        }));
                    }
                    go.countDown();
                    for (Future<Integer> send : sends) {
                        toldToRetry += send.get(60, TimeUnit.SECONDS);
                    }
                    sent.put(agent + " " + packetId, messages);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(statuses).as("answers").isSubsetOf(202, 503);
            Map<String, List<Copy>> journaled = cluster.awaitJournaled(sent.keySet());
            System.out.printf("overlapping re-sends: %d packets sent %d times at once, %d copies answered 503%n",
                    sent.size(), copies, toldToRetry);
            assertDeliveredOnce(sent, journaled);
            assertThat(journaled.keySet()).as("delivered without a 202").isEqualTo(sent.keySet());
            assertThat(cluster.repeats()).as("packets the analyzers counted as duplicates").isZero();
            // the scenario happened: some copies met their original still being taken and were told to retry
            assertThat(toldToRetry).as("copies answered 503 while the original was being taken").isPositive();
        }
    }

    @Test
    void should_keep_the_last_weight_put_during_a_failover_and_give_the_down_analyzer_no_new_traffic() throws Exception {
        try (Cluster cluster = new Cluster("failover", Map.of("DISTRIBUTOR_OUTAGE_POLICY", "failover",
                "DISTRIBUTOR_BREAKER_OPEN_MS", String.valueOf(OPEN_MS),
                "DISTRIBUTOR_DELIVERY_RETRIES", "1",
                "DISTRIBUTOR_RETRY_DELAY_MS", "50"));
             Agents agents = new Agents(cluster.port, 4, Duration.ofMillis(2), 1_000_000).start();
             WeightPuts puts = new WeightPuts(cluster.port)) {
            await("load under way").atMost(Duration.ofSeconds(60)).until(() -> agents.acceptedCount() >= 2000);

            // weights of a and b put side by side, as fast as they are answered, from before c dies until
            // after the failover has changed the balancer's set of analyzers
            puts.start();
            long killedAt = System.nanoTime();
            Processes.kill(cluster.analyzers[2]);
            await("c seen DOWN").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> cluster.state(2).equals("DOWN"));
            long downAt = System.nanoTime();
            int putsAtDown = puts.count();
            await("weights still put after c went DOWN").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> puts.count() >= putsAtDown + 20);
            Map<String, Double> last = puts.finish();
            System.out.printf("weight change during failover: %d PUTs, c DOWN %d ms after the kill, last a=%s b=%s%n",
                    puts.count(), TimeUnit.NANOSECONDS.toMillis(downAt - killedAt), last.get("a"), last.get("b"));
            assertThat(puts.count()).as("weights put during the failover").isGreaterThan(10);
            assertWeights(cluster.view(), last);

            // what c held when it went DOWN goes to a and b (that is no new traffic); then nothing more may come to it
            await("c's backlog failed over").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        JsonNode c = cluster.view().get(2);
                        return c.get("journalRecords").asLong() == 0 && c.get("queued").asLong() == 0;
                    });
            JsonNode before = cluster.view();
            long[] countedBefore = {cluster.counted(0), cluster.counted(1)};
            // a window of new traffic, as long as a and b take 20,000 more messages between them (about a second of the load)
            await("new traffic while c is DOWN").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> cluster.counted(0) + cluster.counted(1) >= countedBefore[0] + countedBefore[1] + 20_000);
            JsonNode after = cluster.view();
            long[] countedAfter = {cluster.counted(0), cluster.counted(1)};
            assertThat(System.nanoTime() - downAt).as("the window ended while c was still DOWN (open %d ms)", OPEN_MS)
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(OPEN_MS - 1000));
            assertThat(after.get(2).get("state").asText()).isEqualTo("DOWN");
            assertThat(after.get(2).get("rerouted").asLong() - before.get(2).get("rerouted").asLong())
                    .as("chunks the balancer gave c while it was DOWN (each failed over)").isZero();
            assertThat(after.get(2).get("journalRecords").asLong()).as("records for c while DOWN").isZero();
            // the new messages split between a and b by the weights last put
            double newA = countedAfter[0] - countedBefore[0];
            double newB = countedAfter[1] - countedBefore[1];
            assertThat(newA + newB).as("messages taken by a and b in the window").isGreaterThan(1000);
            assertThat(newA / (newA + newB)).as("a's share of the new messages")
                    .isCloseTo(last.get("a") / (last.get("a") + last.get("b")), within(0.05));

            // c comes back: its breaker closes after OPEN_MS, traffic returns, nothing accepted is lost
            cluster.restart(2);
            long atRestart = cluster.counted(2);
            await("c UP and taking traffic again").atMost(Duration.ofSeconds(OPEN_MS / 1000 + 10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.state(2).equals("UP") && cluster.counted(2) > atRestart);
            agents.stop();
            assertThat(agents.statuses()).as("answers").isSubsetOf(202, 503);
            assertWeights(cluster.view(), last);

            Map<String, Agents.Sent> accepted = agents.accepted();
            Map<String, List<Copy>> journaled = cluster.awaitJournaled(accepted.keySet());
            Set<String> lost = new TreeSet<>(accepted.keySet());
            lost.removeAll(journaled.keySet());
            assertThat(lost).as("packets answered 202 and in no analyzer's journal").isEmpty();
            long twice = 0;
            for (String key : accepted.keySet()) {
                twice += journaled.get(key).size() - 1; // one chunk each: another copy is in a second journal
            }
            long repeats = cluster.repeats();
            System.out.printf("weight change during failover: %d packets, a's new share %.3f (target %.3f), %d in two"
                    + " journals, %d repeats%n", accepted.size(), newA / (newA + newB), last.get("a") / (last.get("a")
                    + last.get("b")), twice, repeats);
            assertThat(twice + repeats).as("duplicates (%d in two journals, %d repeats) of %d packets", twice, repeats,
                    accepted.size()).isLessThanOrEqualTo(accepted.size() / 200);
        }
    }

    /** The weights last put stand, each with its target share of the whole table. */
    private static void assertWeights(JsonNode view, Map<String, Double> last) {
        double[] weights = {last.get("a"), last.get("b"), WEIGHTS[2]};
        double sum = weights[0] + weights[1] + weights[2];
        for (int i = 0; i < NAMES.length; i++) {
            assertThat(view.get(i).get("weight").asDouble()).as("weight of %s", NAMES[i]).isEqualTo(weights[i]);
            assertThat(view.get(i).get("targetShare").asDouble()).as("target share of %s", NAMES[i])
                    .isCloseTo(weights[i] / sum, within(1e-9));
        }
    }

    /** Every packet sent is in the journals whole (all its messages), and no chunk of it in two journals or twice. */
    private static void assertDeliveredOnce(Map<String, Integer> sent, Map<String, List<Copy>> journaled) {
        List<String> lost = new ArrayList<>();
        List<String> doubled = new ArrayList<>();
        for (Map.Entry<String, Integer> packet : sent.entrySet()) {
            List<Copy> copies = journaled.getOrDefault(packet.getKey(), List.of());
            Set<String> chunks = new HashSet<>();
            int messages = 0;
            for (Copy copy : copies) {
                if (chunks.add(copy.chunkId())) {
                    messages += copy.messages();
                } else {
                    doubled.add(packet.getKey() + " (" + copy.chunkId() + ")");
                }
            }
            if (messages != packet.getValue()) {
                lost.add(packet.getKey() + " (" + messages + " of " + packet.getValue() + " messages)");
            }
        }
        assertThat(lost).as("packets answered 202 and not (wholly) in the journals").isEmpty();
        assertThat(doubled).as("chunks delivered twice").isEmpty();
    }

    /**
     * Posts until answered 202 (a real agent's retry after 503 or a broken connection); returns how many 503s it got.
     */
    private int postUntilAccepted(int port, byte[] body, Set<Integer> statuses) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int unavailable = 0;
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> r = http.postJson(port, "/logs", body);
                statuses.add(r.statusCode());
                if (r.statusCode() == 202) {
                    return unavailable;
                }
                if (r.statusCode() == 503) {
                    unavailable++;
                }
            } catch (java.io.IOException e) {
                // a broken connection: send it again
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new AssertionError("no 202 within 20 s; answers so far " + statuses);
    }

    /** One packet or chunk in one analyzer's journal. */
    record Copy(int analyzer, String chunkId, int messages) {
    }

    /** Three analyzers with journals (weights 0.5, 0.3, 0.2) and a distributor in front of them. */
    private final class Cluster implements AutoCloseable {
        final Processes processes = new Processes();
        final Path data;
        final int[] ports = new int[NAMES.length];
        final Process[] analyzers = new Process[NAMES.length];
        final int port;

        Cluster(String label, Map<String, String> settings) throws Exception {
            Files.createDirectories(Processes.LOGS);
            data = Files.createTempDirectory(Processes.LOGS, "collisions-" + label + "-");
            port = Processes.freePort();
            try {
                StringBuilder list = new StringBuilder();
                for (int i = 0; i < NAMES.length; i++) {
                    ports[i] = Processes.freePort();
                    restart(i);
                    list.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                            .append("=http://127.0.0.1:").append(ports[i]).append("/logs");
                }
                Map<String, String> env = new HashMap<>(settings);
                env.put("DISTRIBUTOR_ANALYZERS", list.toString());
                env.put("DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString());
                processes.distributor(label, port, env);
            } catch (Exception | AssertionError e) {
                processes.close();
                throw e;
            }
        }

        void restart(int analyzer) throws Exception {
            analyzers[analyzer] = processes.analyzer(NAMES[analyzer], ports[analyzer], data.resolve("analyzer-" + NAMES[analyzer]));
        }

        JsonNode view() throws Exception {
            return http.getJson(port, "/analyzers");
        }

        String state(int analyzer) throws Exception {
            return view().get(analyzer).get("state").asText();
        }

        long counted(int analyzer) throws Exception {
            return http.getJson(ports[analyzer], "/stats").get("messages").asLong();
        }

        /** Packets the analyzers saw again and did not count (same agent and packet id). */
        long repeats() throws Exception {
            long repeats = 0;
            for (int p : ports) {
                repeats += http.getJson(p, "/stats").get("duplicatePackets").asLong();
            }
            return repeats;
        }

        /** Every journal line, by {@code "<agentId> <packetId>"}. */
        Map<String, List<Copy>> journaled() throws Exception {
            Map<String, List<Copy>> seen = new HashMap<>();
            for (int i = 0; i < NAMES.length; i++) {
                for (AnalyzerJournals.Entry e : AnalyzerJournals.read(data.resolve("analyzer-" + NAMES[i]))) {
                    seen.computeIfAbsent(e.agentId() + " " + e.packetId(), k -> new ArrayList<>())
                            .add(new Copy(i, e.id(), e.messages()));
                }
            }
            return seen;
        }

        /**
         * The journals once they hold every one of {@code keys} and the distributor has nothing left to deliver (so no
         * copy that should not be there is still on its way); after 60 s as they are, for the assertions to say what is
         * missing.
         */
        Map<String, List<Copy>> awaitJournaled(Set<String> keys) throws Exception {
            try {
                await("every key journaled, nothing left to deliver").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200)).until(() -> journaled().keySet().containsAll(keys) && idle());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // the assertions on what is returned say what is missing
            }
            return journaled();
        }

        /** Whether no chunk waits for any analyzer: none queued, none in a journal not yet delivered. */
        private boolean idle() throws Exception {
            for (JsonNode a : view()) {
                if (a.get("queued").asLong() > 0 || a.get("journalRecords").asLong() > 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws Exception {
            processes.close();
        }
    }

    /**
     * PUTs the weights of a and b, one thread each (so the last PUT per analyzer is well defined), each time a new value,
     * as fast as the distributor answers; remembers the last weight put per analyzer.
     */
    private final class WeightPuts implements AutoCloseable {
        private final int port;
        private final Map<String, Double> last = new ConcurrentHashMap<>(Map.of("a", WEIGHTS[0], "b", WEIGHTS[1]));
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger count = new AtomicInteger();
        private final ExecutorService threads = Executors.newFixedThreadPool(2);
        private final List<Future<?>> loops = new ArrayList<>();

        WeightPuts(int port) {
            this.port = port;
        }

        void start() {
            for (String name : List.of("a", "b")) {
                loops.add(threads.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        // a: 0.55, 0.6, ... 1.0; b: 0.1, 0.15, ... 0.55; never the weight it has
                        double weight = (name.equals("a") ? 0.55 : 0.1) + (i % 10) * 0.05;
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(Http.url(port, "/analyzers/" + name + "/weight"))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": " + weight + "}")));
                        assertThat(r.statusCode()).as("PUT weight of %s: %s", name, r.body()).isEqualTo(200);
                        last.put(name, Http.JSON.readTree(r.body()).get("weight").asDouble());
                        count.incrementAndGet();
                    }
                    return null;
                }));
            }
        }

        /** Stops putting after the PUT under way; returns the last weight put per analyzer. */
        Map<String, Double> finish() throws Exception {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            return Map.copyOf(last);
        }

        int count() {
            return count.get();
        }

        @Override
        public void close() {
            running.set(false);
            threads.shutdownNow();
        }
    }
}
