package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code DISTRIBUTOR_BUFFER=kafka} on a real broker: two replicas share the load, one is killed with kill -9 and an
 * analyzer is stopped and restarted; every packet that got a 202 reaches an analyzer, the shares land on the weights.
 */
class KafkaIT {

    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final double[] WEIGHTS = {0.4, 0.3, 0.1, 0.2};
    private static final int AGENTS = 16;

    private final Http http = new Http();

    @Test
    void should_deliver_every_acknowledged_packet_when_a_replica_is_killed_and_an_analyzer_restarts() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(); Processes processes = new Processes()) {
            Path data = Files.createTempDirectory(Processes.LOGS, "kafka-it-");
            int[] ports = new int[NAMES.length];
            Process[] analyzers = new Process[NAMES.length];
            String list = startAnalyzers(processes, data, ports, analyzers);
            int[] replicas = {Processes.freePort(), Processes.freePort()};
            Process[] distributors = new Process[2];
            for (int r = 0; r < 2; r++) {
                distributors[r] = processes.distributor("kafka-" + r, replicas[r], Map.of(
                        "DISTRIBUTOR_ANALYZERS", list,
                        "DISTRIBUTOR_DATA_DIR", data.resolve("distributor-" + r).toString(),
                        "DISTRIBUTOR_BUFFER", "kafka",
                        "DISTRIBUTOR_KAFKA_BOOTSTRAP", broker.bootstrap(),
                        "DISTRIBUTOR_BREAKER_OPEN_MS", "1000",
                        "DISTRIBUTOR_RETRY_DELAY_MS", "50"));
            }

            Load load = new Load(replicas);
            load.start();
            await("load under way on both replicas").atMost(Duration.ofSeconds(90))
                    .until(() -> load.packets.get() >= 5_000);
            Processes.kill(distributors[0]);
            await("load goes on through the other replica").atMost(Duration.ofSeconds(90))
                    .until(() -> load.packets.get() >= 10_000);

            Processes.kill(analyzers[2]);
            await("c seen DOWN").atMost(Duration.ofSeconds(30)).until(() -> view(replicas[1], 2, "state").equals("DOWN"));
            await("c's backlog waits in Kafka").atMost(Duration.ofSeconds(30))
                    .until(() -> Long.parseLong(view(replicas[1], 2, "lag")) > 20);
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(Http.url(replicas[1], "/metrics"))).body();
            assertThat(metrics).as("lag in /metrics").containsPattern("logdist_kafka_lag_chunks\\{analyzer=\"c\",?\\} [1-9]");
            analyzers[2] = processes.analyzer(NAMES[2], ports[2], data.resolve("analyzer-c"));
            // what the kills can make duplicates of is their work in flight, not a share of the run: up to one batch
            // per consumer of the killed replica, sent and not yet committed, and one packet per agent of it, taken
            // and never answered, which the agent sends again. 40,000 packets put the 0.1 % bound above the most seen
            // (22, on a loaded machine; 3 to 5 on a quiet one)
            await("load goes on after c is back").atMost(Duration.ofSeconds(180))
                    .until(() -> load.packets.get() >= 40_000);
            load.finish();

            await("every backlog drained").atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < NAMES.length; i++) {
                    if (!view(replicas[1], i, "lag").equals("0")) {
                        return false;
                    }
                }
                return true;
            });
            Map<String, Integer> accepted = load.accepted;
            long acceptedMessages = accepted.values().stream().mapToLong(Integer::longValue).sum();
            await("every accepted message counted").atMost(Duration.ofSeconds(60)).until(() -> {
                long counted = 0;
                for (int p : ports) {
                    counted += http.getJson(p, "/stats").get("messages").asLong();
                }
                return counted >= acceptedMessages;
            });

            // each analyzer's journal holds one line per distinct packet it counted
            Map<String, Integer> seenBy = new HashMap<>();
            long[] messages = new long[NAMES.length];
            for (int i = 0; i < NAMES.length; i++) {
                for (AnalyzerJournals.Entry e : AnalyzerJournals.read(data.resolve("analyzer-" + NAMES[i]))) {
                    seenBy.merge(e.id(), 1, Integer::sum);
                    messages[i] += e.messages();
                }
            }
            List<String> missing = accepted.keySet().stream().filter(id -> !seenBy.containsKey(id)).limit(5).toList();
            assertThat(missing).as("packets acknowledged with 202 that no analyzer has").isEmpty();
            long across = seenBy.values().stream().mapToLong(n -> n - 1).sum();
            long within = 0;
            StringBuilder each = new StringBuilder();
            for (int i = 0; i < NAMES.length; i++) {
                long d = http.getJson(ports[i], "/stats").get("duplicatePackets").asLong();
                within += d;
                each.append(' ').append(NAMES[i]).append('=').append(d);
            }
            long duplicates = across + within;
            System.out.printf("replica and analyzer killed: %d packets answered 202, all delivered; duplicates %d (%d by"
                    + " two analyzers, %d by the same:%s)%n", accepted.size(), duplicates, across, within, each);
            assertThat(duplicates).as("duplicates (%d by two analyzers, %d by the same:%s) of %d packets", across, within,
                            each, accepted.size())
                    .isLessThanOrEqualTo(accepted.size() / 1000);
            long total = messages[0] + messages[1] + messages[2] + messages[3];
            for (int i = 0; i < NAMES.length; i++) {
                assertThat(Math.abs((double) messages[i] / total - WEIGHTS[i])).as("share of %s", NAMES[i])
                        .isLessThanOrEqualTo(0.01);
            }
        }
    }

    @Test
    void should_hand_a_down_analyzers_backlog_to_the_others_under_failover() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(); Processes processes = new Processes()) {
            Path data = Files.createTempDirectory(Processes.LOGS, "kafka-failover-");
            int[] ports = new int[NAMES.length];
            Process[] analyzers = new Process[NAMES.length];
            String list = startAnalyzers(processes, data, ports, analyzers);
            int replica = Processes.freePort();
            processes.distributor("kafka-failover", replica, Map.of(
                    "DISTRIBUTOR_ANALYZERS", list,
                    "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString(),
                    "DISTRIBUTOR_OUTAGE_POLICY", "failover",
                    "DISTRIBUTOR_BUFFER", "kafka",
                    "DISTRIBUTOR_KAFKA_BOOTSTRAP", broker.bootstrap(),
                    "DISTRIBUTOR_BREAKER_OPEN_MS", "1000",
                    "DISTRIBUTOR_RETRY_DELAY_MS", "50"));

            Load load = new Load(new int[] {replica, replica});
            load.start();
            await("load under way").atMost(Duration.ofSeconds(90)).until(() -> load.packets.get() >= 2_000);
            Processes.kill(analyzers[2]);
            await("c seen DOWN").atMost(Duration.ofSeconds(30)).until(() -> view(replica, 2, "state").equals("DOWN"));
            long atDown = load.packets.get();
            await("load goes on while c is down").atMost(Duration.ofSeconds(90))
                    .until(() -> load.packets.get() >= atDown + 2_000);
            // still down: its breaker opens again and again (1 s), and in between tries one call, which fails
            assertThat(view(replica, 2, "state")).as("c's state while it is still down").isIn("DOWN", "RECOVERING");
            await("c's backlog re-routed while c is still down").atMost(Duration.ofSeconds(30))
                    .until(() -> view(replica, 2, "lag").equals("0"));
            assertThat(Long.parseLong(view(replica, 2, "rerouted"))).as("chunks re-routed from c").isPositive();
            analyzers[2] = processes.analyzer(NAMES[2], ports[2], data.resolve("analyzer-c"));
            long atRestart = http.getJson(ports[2], "/stats").get("messages").asLong();
            await("c takes traffic again").atMost(Duration.ofSeconds(30))
                    .until(() -> http.getJson(ports[2], "/stats").get("messages").asLong() > atRestart);
            load.finish();

            Map<String, Integer> seenBy = new HashMap<>();
            await("every acknowledged packet counted").atMost(Duration.ofSeconds(60)).until(() -> {
                seenBy.clear();
                for (String name : NAMES) {
                    for (AnalyzerJournals.Entry e : AnalyzerJournals.read(data.resolve("analyzer-" + name))) {
                        seenBy.merge(e.id(), 1, Integer::sum);
                    }
                }
                return seenBy.keySet().containsAll(load.accepted.keySet());
            });
            long duplicates = seenBy.values().stream().mapToLong(n -> n - 1).sum();
            for (int p : ports) {
                duplicates += http.getJson(p, "/stats").get("duplicatePackets").asLong();
            }
            assertThat(duplicates).as("duplicates of %d packets", load.accepted.size())
                    .isLessThanOrEqualTo(load.accepted.size() / 1000);

            broker.kill();
            HttpResponse<String> refused = http.postJson(replica, "/logs",
                    Packets.packet(new Random(7), "agent-late", "late-1", 3));
            assertThat(refused.statusCode()).as("a packet Kafka cannot take").isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            await("/health says Kafka is gone").atMost(Duration.ofSeconds(20)).until(() ->
                    http.send(java.net.http.HttpRequest.newBuilder(Http.url(replica, "/health"))).statusCode() == 503);
        }
    }

    /** Starts the analyzers, each keeping its distinct packets in a journal under {@code data}; their setting. */
    private static String startAnalyzers(Processes processes, Path data, int[] ports, Process[] analyzers) throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            ports[i] = Processes.freePort();
            analyzers[i] = processes.analyzer(NAMES[i], ports[i], data.resolve("analyzer-" + NAMES[i]));
            list.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                    .append("=http://127.0.0.1:").append(ports[i]).append("/logs");
        }
        return list.toString();
    }

    private String view(int port, int analyzer, String field) throws Exception {
        return http.getJson(port, "/analyzers").get(analyzer).get(field).asText();
    }

    /**
     * Agents that post packets of 1..40 messages with their own ids, half to each replica. A packet that gets no 202
     * (its replica died) is sent again, same id, to the other replica, as an agent behind a load balancer would.
     */
    final class Load {
        final Map<String, Integer> accepted = new ConcurrentHashMap<>();
        final AtomicLong packets = new AtomicLong();
        private final int[] replicas;
        private final ExecutorService pool = Executors.newFixedThreadPool(AGENTS);
        private final List<Future<?>> agents = new ArrayList<>();
        private volatile boolean done;

        Load(int[] replicas) {
            this.replicas = replicas;
        }

        void start() {
            for (int a = 0; a < AGENTS; a++) {
                int agent = a;
                agents.add(pool.submit(() -> {
                    Random random = new Random(agent);
                    int replica = agent % 2;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                    for (int seq = 0; !done && System.nanoTime() < deadline; seq++) {
                        String id = "agent-" + agent + "-" + seq;
                        int size = 1 + random.nextInt(40);
                        byte[] packet = Packets.packet(random, "agent-" + agent, id, size);
                        for (int attempt = 0; attempt < 20 && System.nanoTime() < deadline; attempt++) {
                            if (post(replicas[replica], packet)) {
                                accepted.put(id, size);
                                packets.incrementAndGet();
                                break;
                            }
                            replica = 1 - replica;
                        }
                    }
                    return null;
                }));
            }
        }

        private boolean post(int port, byte[] packet) {
            try {
                HttpResponse<String> r = http.postJson(port, "/logs", packet);
                return r.statusCode() == 202;
            } catch (Exception e) {
                return false; // the replica is gone
            }
        }

        void finish() throws Exception {
            done = true;
            for (Future<?> f : agents) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }
}
