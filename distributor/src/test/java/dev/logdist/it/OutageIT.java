package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Analyzers that die under load and come back, in both outage policies: nothing accepted is lost, judged by ids (every
 * packet answered 202 in an analyzer's journal), so that a packet counted twice cannot hide one that was lost.
 */
class OutageIT {

    private static final String[] NAMES = {"a", "b", "c"};
    private static final double[] WEIGHTS = {0.5, 0.3, 0.2};

    private final Http http = new Http();

    @ParameterizedTest
    @ValueSource(strings = {"hold", "failover"})
    void should_lose_nothing_when_an_analyzer_is_killed_under_load_and_restarted(String policy) throws Exception {
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory("outage-" + policy);
            int[] ports = new int[3];
            Process[] analyzers = new Process[3];
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                ports[i] = Processes.freePort();
                analyzers[i] = processes.analyzer(NAMES[i], ports[i], data.resolve("analyzer-" + NAMES[i]));
                list.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                        .append("=http://127.0.0.1:").append(ports[i]).append("/logs");
            }
            int port = Processes.freePort();
            processes.distributor(policy, port, Map.of("DISTRIBUTOR_ANALYZERS", list.toString(),
                    "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString(),
                    "DISTRIBUTOR_OUTAGE_POLICY", policy,
                    "DISTRIBUTOR_BREAKER_OPEN_MS", "1000",
                    "DISTRIBUTOR_DELIVERY_RETRIES", "2",
                    "DISTRIBUTOR_RETRY_DELAY_MS", "50"));

            // the cap only bounds the run: the load must still be going when c comes back, since under failover
            // nothing else (no spool to replay) would send c the traffic that shows it recovered
            Load load = new Load(port, 2_000_000);
            load.start();
            await("load under way").atMost(Duration.ofSeconds(60)).until(() -> load.messages.get() >= 20_000);
            Processes.kill(analyzers[2]);
            await("c seen DOWN").atMost(Duration.ofSeconds(30)).until(() -> state(port, 2).equals("DOWN"));
            await("load goes on while c is down").atMost(Duration.ofSeconds(60)).until(() -> load.messages.get() >= 50_000);
            analyzers[2] = processes.analyzer(NAMES[2], ports[2], data.resolve("analyzer-c"));
            long atRestart = counted(ports[2]);
            await("c takes traffic again within 10 s").atMost(Duration.ofSeconds(10)).until(() -> counted(ports[2]) > atRestart);
            load.finish();

            assertThat(load.nonAccepted.get()).as("answers other than 202").isZero();
            // loss by ids, not by counts: a packet counted by two analyzers must not hide one that none has
            Map<String, Integer> accepted = load.accepted();
            Map<String, Integer> journaled = new HashMap<>();
            await("every accepted packet in an analyzer's journal").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        journaled.clear();
                        journaled.putAll(AnalyzerJournals.copiesByPacket(data, NAMES));
                        return journaled.keySet().containsAll(accepted.keySet());
                    });
            Set<String> lost = new TreeSet<>(accepted.keySet());
            lost.removeAll(journaled.keySet());
            assertThat(lost).as("packets answered 202 and in no analyzer's journal").isEmpty();
            Set<String> unasked = new TreeSet<>(journaled.keySet());
            unasked.removeAll(accepted.keySet());
            assertThat(unasked).as("packets in a journal that no agent got 202 for").isEmpty();
            long twice = journaled.values().stream().mapToLong(n -> n - 1).sum(); // counted by two analyzers
            long[] counts = {counted(ports[0]), counted(ports[1]), counted(ports[2])};
            long duplicates = 0;
            for (int p : ports) {
                duplicates += http.getJson(p, "/stats").get("duplicatePackets").asLong();
            }
            assertThat(duplicates).as("repeats of %d packets", accepted.size()).isLessThanOrEqualTo(accepted.size() / 1000);
            assertThat(twice + duplicates).as("duplicates (%d in two journals, %d repeats) of %d packets", twice,
                    duplicates, accepted.size()).isLessThanOrEqualTo(accepted.size() / 200);
            long messages = load.messages.get();
            if (policy.equals("hold")) {
                for (int i = 0; i < 3; i++) {
                    assertThat(Math.abs((double) counts[i] / messages - WEIGHTS[i])).as("share of %s", NAMES[i]).isLessThanOrEqualTo(0.01);
                }
            }
        }
    }

    private String state(int port, int analyzer) throws Exception {
        return http.getJson(port, "/analyzers").get(analyzer).get("state").asText();
    }


    private long counted(int analyzerPort) throws Exception {
        return http.getJson(analyzerPort, "/stats").get("messages").asLong();
    }

    /**
     * Four agents posting packets of 1..40 messages until told to finish or {@code cap} messages are accepted; what
     * they got 202 for is recorded by id.
     */
    final class Load {
        final AtomicLong messages = new AtomicLong();
        private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
        final AtomicLong packets = new AtomicLong();
        final AtomicLong nonAccepted = new AtomicLong();
        private final int port;
        private final long cap;
        private final ExecutorService pool = Executors.newFixedThreadPool(4);
        private final List<Future<?>> agents = new ArrayList<>();
        private volatile boolean done;

        Load(int port, long cap) {
            this.port = port;
            this.cap = cap;
        }

        void start() {
            for (int a = 0; a < 4; a++) {
                int agent = a;
                agents.add(pool.submit(() -> {
                    Random random = new Random(agent);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    for (int seq = 0; !done && messages.get() < cap && System.nanoTime() < deadline; seq++) {
                        int size = 1 + random.nextInt(40);
                        String packetId = "agent-" + agent + "-" + seq;
                        HttpResponse<String> r = http.postJson(port, "/logs",
                                Packets.packet(random, "agent-" + agent, packetId, size));
                        if (r.statusCode() == 202) {
                            accepted.put("agent-" + agent + " " + packetId, size);
                            messages.addAndGet(size);
                            packets.incrementAndGet();
                        } else {
                            nonAccepted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
        }

        /** The packets answered 202, by {@code "<agentId> <packetId>"}, with their message counts. */
        Map<String, Integer> accepted() {
            return Map.copyOf(accepted);
        }

        void finish() throws Exception {
            done = true;
            for (Future<?> f : agents) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }

    static long filesIn(Path dir, String suffix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    static JsonNode analyzerView(Http http, int port, int analyzer) throws Exception {
        return http.getJson(port, "/analyzers").get(analyzer);
    }
}
