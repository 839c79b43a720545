package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentest4j.TestAbortedException;

/**
 * Several distributor replicas with {@code DISTRIBUTOR_BUFFER=kafka} on a real three-node Kafka cluster
 * ({@code kafka/cluster.sh}): the broker leading most partitions killed with kill -9 and restarted on its data, the
 * whole cluster stopped and started on its data, one replica cut off from the brokers by iptables in its own network
 * namespace, a third replica joining under load and one leaving. Loss is judged by ids: every packet answered 202 must
 * be in an analyzer's journal. Each test has its own topics (a prefix of its own) and leaves all three nodes running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClusterIT {

    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final double[] WEIGHTS = {0.4, 0.3, 0.1, 0.2};
    /** Packets hold 1..40 messages (ReplicaLoad), each one chunk: the ledger's bound per replica. */
    private static final int LARGEST_CHUNK = 40;
    /** {@code distributor.delivery.max-batch}: the most chunks a consumer delivers before it commits. */
    private static final int MAX_BATCH = 200;
    /** The producer's delivery timeout (KafkaTopics): a send Kafka has not taken by then ends in a 503. */
    private static final long DELIVERY_TIMEOUT_MS = 10_000;

    private static NetworkNamespace namespace;
    private static KafkaCluster cluster;
    /** Where the brokers and analyzers listen: the host end of the namespace's veth pair, or loopback without one. */
    private static String host;

    private final Http http = new Http();

    @BeforeAll
    static void cluster() throws Exception {
        try {
            namespace = NetworkNamespace.create();
        } catch (TestAbortedException e) {
            namespace = null; // no ip netns here: every test but the cut-off one runs on loopback
        }
        host = namespace == null ? "127.0.0.1" : namespace.hostAddress;
        cluster = KafkaCluster.start(host);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    @Test
    @Order(1)
    void should_deliver_every_acknowledged_packet_when_the_leading_broker_is_killed_and_restarted() throws Exception {
        try (Processes processes = new Processes()) {
            Run run = new Run("leader", processes);
            List<String> replicas = List.of(run.replica(0), run.replica(1));
            assertThat(cluster.replication(run.prefix)).as("topics made by the distributor (replication/min.insync)")
                    .hasSize(NAMES.length).allSatisfy((topic, copies) -> assertThat(copies).isEqualTo("3/2"));
            try (ReplicaLoad load = new ReplicaLoad(run.prefix, 8, 50, replicas).start()) {
                await("load under way").atMost(Duration.ofSeconds(120)).until(() -> load.packets.get() >= 800);
                Map<Integer, Integer> leaders = cluster.leaders(run.prefix);
                int leader = cluster.leaderOfMost(run.prefix);
                long killedAt = System.nanoTime();
                cluster.kill(leader);
                System.out.printf("leader kill: node %d (leading %s partitions of %s) killed with kill -9%n", leader,
                        leaders, run.prefix);
                await("202s again after the leader's kill").atMost(Duration.ofSeconds(120))
                        .until(() -> load.acknowledgedSince(killedAt) >= 600);
                long pause = load.longestPauseMs(killedAt);
                long restartAt = System.nanoTime();
                cluster.restart(leader);
                await("202s with the node back").atMost(Duration.ofSeconds(120))
                        .until(() -> load.acknowledgedSince(restartAt) >= 600);
                load.finish();
                System.out.printf("leader kill: longest time without a 202 after the kill %d ms; 503s %d; %d packets%n",
                        pause, load.unavailable.get(), load.accepted.size());
                // the fence (broker session 5 s), the election and the clients' metadata refresh; on a busy 2-core
                // machine that has reached 10.9 s: every send waiting meanwhile ends by the delivery timeout (202 or
                // 503), and 202s come back within it plus a few seconds of a starved scheduler
                assertThat(pause).as("ms without any 202 after the kill (producer delivery timeout %d ms)",
                        DELIVERY_TIMEOUT_MS).isLessThanOrEqualTo(DELIVERY_TIMEOUT_MS + 5_000);
                assertThat(load.violations).as("answers other than 202 and 503 with Retry-After").isEmpty();
                run.assertDelivered(load, replicas);
            }
        }
    }

    @Test
    @Order(2)
    void should_deliver_everything_acknowledged_before_the_whole_cluster_restarts() throws Exception {
        try (Processes processes = new Processes()) {
            Run run = new Run("whole", processes);
            List<String> replicas = List.of(run.replica(0), run.replica(1));
            try (ReplicaLoad load = new ReplicaLoad(run.prefix, 8, 50, replicas).start()) {
                await("load under way").atMost(Duration.ofSeconds(120)).until(() -> load.packets.get() >= 800);
                cluster.stopAll();
                long stoppedAt = System.nanoTime();
                long refusedAtStop = load.unavailable.get();
                for (String r : replicas) {
                    await("/health of " + r + " says Kafka is away").atMost(Duration.ofSeconds(30))
                            .until(() -> health(r).statusCode() == 503);
                    assertThat(health(r).body()).as("/health of " + r).contains("Kafka");
                }
                await("503s while Kafka is away").atMost(Duration.ofSeconds(30))
                        .until(() -> load.unavailable.get() >= refusedAtStop + 20);
                long acknowledgedWhileAway = load.acknowledgedSince(stoppedAt);
                cluster.startAll();
                long startedAt = System.nanoTime();
                for (String r : replicas) {
                    await("/health of " + r + " back").atMost(Duration.ofSeconds(60))
                            .until(() -> health(r).statusCode() == 200);
                }
                await("202s again after the restart").atMost(Duration.ofSeconds(120))
                        .until(() -> load.acknowledgedSince(startedAt) >= 1_000);
                load.finish();
                System.out.printf("whole cluster restart: 503s %d, 202s answered with every node stopped %d, %d packets%n",
                        load.unavailable.get(), acknowledgedWhileAway, load.accepted.size());
                assertThat(acknowledgedWhileAway).as("202s answered with every node stopped (sends already taken only)")
                        .isLessThanOrEqualTo(16);
                assertThat(load.violations).as("answers other than 202 and 503 with Retry-After").isEmpty();
                run.assertDelivered(load, replicas);
            }
        }
    }

    @Test
    @Order(3)
    void should_refuse_on_a_replica_cut_off_from_kafka_and_deliver_again_once_it_is_back() throws Exception {
        Assumptions.assumeTrue(namespace != null, "needs ip netns and iptables");
        try (Processes processes = new Processes()) {
            Run run = new Run("cut", processes);
            String outside = run.replica(0);
            int port = Processes.freePort();
            Process inside = run.replicaInside(namespace, port);
            String cutOff = "http://" + namespace.address + ":" + port;
            List<String> replicas = List.of(outside, cutOff);
            int[] brokerPorts = Arrays.stream(cluster.bootstrap().split(","))
                    .mapToInt(a -> Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))).toArray();
            try (ReplicaLoad load = new ReplicaLoad(run.prefix, 8, 50, replicas).start()) {
                await("load under way").atMost(Duration.ofSeconds(120)).until(() -> load.packets.get() >= 600);
                namespace.cutFrom(namespace.hostAddress, brokerPorts);
                long cutAt = System.nanoTime();
                try {
                    long asked = System.nanoTime();
                    HttpResponse<String> refused = post(cutOff, "cut-1");
                    long tookMs = (System.nanoTime() - asked) / 1_000_000;
                    System.out.printf("cut off: a packet to the cut-off replica answered %d in %d ms%n",
                            refused.statusCode(), tookMs);
                    assertThat(refused.statusCode()).as("a packet Kafka cannot take").isEqualTo(503);
                    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                    assertThat(tookMs).as("ms to the 503").isLessThanOrEqualTo(DELIVERY_TIMEOUT_MS + 5_000);
                    await("/health of the cut-off replica says why").atMost(Duration.ofSeconds(30))
                            .until(() -> health(cutOff).statusCode() == 503);
                    assertThat(health(cutOff).body()).contains("Kafka has not answered");
                    // by now each of its consumers sent at most the batch it had when the cut came, and waits for its commit
                    long sentWhileCut = Arrays.stream(series(cutOff, "logdist_delivered_packets_total")).sum();
                    assertThat(health(outside).statusCode()).as("/health of the other replica").isEqualTo(200);
                    for (int i = 2; i <= 3; i++) {
                        assertThat(post(cutOff, "cut-" + i).statusCode()).as("packet %d to the cut-off replica", i)
                                .isEqualTo(503);
                    }
                    await("the other replica keeps serving").atMost(Duration.ofSeconds(120))
                            .until(() -> load.acknowledgedSince(cutAt) >= 600);
                    assertThat(Arrays.stream(series(cutOff, "logdist_delivered_packets_total")).sum())
                            .as("packets the cut-off replica delivered while it could not commit (they would all be sent again)")
                            .isEqualTo(sentWhileCut);
                } finally {
                    namespace.reconnect(namespace.hostAddress, brokerPorts);
                }
                long deliveredAtHeal = delivered(cutOff);
                await("/health of the reconnected replica").atMost(Duration.ofSeconds(60))
                        .until(() -> health(cutOff).statusCode() == 200);
                await("the reconnected replica delivers again (rejoined its consumer groups)").atMost(Duration.ofSeconds(120))
                        .until(() -> delivered(cutOff) > deliveredAtHeal + 500);
                await("the reconnected replica acknowledges again").atMost(Duration.ofSeconds(60))
                        .until(() -> post(cutOff, "back-" + System.nanoTime()).statusCode() == 202);
                load.finish();
                System.out.printf("cut off: 503s %d, unreachable %d, %d packets%n", load.unavailable.get(),
                        load.unreachable.get(), load.accepted.size());
                assertThat(load.violations).as("answers other than 202 and 503 with Retry-After").isEmpty();
                // each of the cut-off replica's consumers had sent at most one batch it could not commit: the other
                // replica sends those again (the analyzers drop the repeats); nothing more, as it holds after a failed commit
                run.assertDelivered(load, replicas, NAMES.length * MAX_BATCH);
            } finally {
                Processes.stop(inside);
            }
        }
    }

    @Test
    @Order(4)
    void should_rebalance_when_a_third_replica_joins_and_one_leaves_under_load() throws Exception {
        try (Processes processes = new Processes()) {
            Run run = new Run("scale", processes);
            String first = run.replica(0);
            String second = run.replica(1);
            try (ReplicaLoad load = new ReplicaLoad(run.prefix, 8, 50, List.of(first, second)).start()) {
                await("load under way").atMost(Duration.ofSeconds(120)).until(() -> load.packets.get() >= 600);
                String third = run.replica(2);
                load.replicas(List.of(first, second, third));
                await("the third replica delivers from every analyzer's topic").atMost(Duration.ofSeconds(120))
                        .until(() -> Arrays.stream(deliveredByAnalyzer(third)).allMatch(n -> n > 0));
                long joined = load.packets.get();
                ProcessHandle secondProcess = run.distributors.get(1).toHandle();
                long windowStart = System.nanoTime();
                Duration cpuBefore = secondProcess.info().totalCpuDuration().orElseThrow();
                long writtenBefore = Arrays.stream(written(second)).sum();
                long deliveredBefore = delivered(second);
                await("load through three replicas").atMost(Duration.ofSeconds(120))
                        .until(() -> load.packets.get() >= joined + 800);
                // one replica's cost: its CPU over the messages it took in (Kafka produce) and sent on (consume, HTTP)
                double cpuMs = secondProcess.info().totalCpuDuration().orElseThrow().minus(cpuBefore).toNanos() / 1e6;
                double windowMs = (System.nanoTime() - windowStart) / 1e6;
                long in = Arrays.stream(written(second)).sum() - writtenBefore;
                long out = delivered(second) - deliveredBefore;
                // the first leaves: the balancer stops sending to it, then it stops (SIGTERM) and hands its partitions on
                load.replicas(List.of(second, third));
                long moved = load.packets.get();
                await("load through the two others").atMost(Duration.ofSeconds(120))
                        .until(() -> load.packets.get() >= moved + 400);
                long[] ofFirst = written(first);
                Processes.stop(run.distributors.get(0));
                long left = load.packets.get();
                await("load after it left").atMost(Duration.ofSeconds(120)).until(() -> load.packets.get() >= left + 600);
                load.finish();
                List<long[]> perReplica = List.of(ofFirst, written(second), written(third));
                assertThat(load.violations).as("answers other than 202 and 503 with Retry-After").isEmpty();
                run.assertDelivered(load, List.of(second, third));
                assertWeights(perReplica);
                double idlePerMs = idleCpuPerMs(secondProcess);
                double perMessageUs = 1000 * (cpuMs - idlePerMs * windowMs) / ((in + out) / 2.0);
                System.out.printf("cost of one replica under steady load: %.0f ms CPU in %.0f ms for %d messages in and"
                        + " %d out (%.0f per s); idle it uses %.1f ms CPU per s; per message (in + out)/2 above idle:"
                        + " %.1f us CPU, all in: %.1f us%n", cpuMs, windowMs, in, out, 1000.0 * in / windowMs,
                        1000 * idlePerMs, perMessageUs, 1000 * cpuMs / ((in + out) / 2.0));
                assertThat(perMessageUs).as("us CPU per message").isPositive();
            }
        }
    }

    /**
     * What a replica costs with nothing to do (consumers polling, lag reads, heartbeats), in ms of CPU per ms: the least
     * of five one-second windows, so that a collection or a compilation finishing in one of them is not taken for the
     * idle cost. Fixed windows: a measurement, not a wait for anything.
     */
    private static double idleCpuPerMs(ProcessHandle process) {
        double least = Double.MAX_VALUE;
        for (int window = 0; window < 5; window++) {
            Duration before = process.info().totalCpuDuration().orElseThrow();
            long start = System.nanoTime();
            await("an idle window").pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
            double cpuMs = process.info().totalCpuDuration().orElseThrow().minus(before).toNanos() / 1e6;
            least = Math.min(least, cpuMs / ((System.nanoTime() - start) / 1e6));
        }
        return least;
    }

    /**
     * Each replica balances exactly (within one chunk of every share); summed over the replicas, as a Prometheus query
     * over {@code logdist_kafka_written_messages} does, the split is within replicas x chunk of the weights.
     */
    private static void assertWeights(List<long[]> perReplica) {
        long[] sum = new long[NAMES.length];
        for (int r = 0; r < perReplica.size(); r++) {
            long[] w = perReplica.get(r);
            long total = Arrays.stream(w).sum();
            for (int i = 0; i < NAMES.length; i++) {
                sum[i] += w[i];
                assertThat(Math.abs(w[i] - WEIGHTS[i] * total)).as("replica %d, analyzer %s: messages off its share", r, NAMES[i])
                        .isLessThanOrEqualTo(LARGEST_CHUNK + 1.0);
            }
        }
        long total = Arrays.stream(sum).sum();
        double worst = 0;
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            double off = sum[i] - WEIGHTS[i] * total;
            worst = Math.max(worst, Math.abs(off));
            each.append(String.format(" %s=%+.1f", NAMES[i], off));
        }
        System.out.printf("global deviation over %d replicas: %d messages, off the weights by (messages)%s; worst %.1f"
                + " = %.4f %% of the total, bound %d%n", perReplica.size(), total, each, worst, 100 * worst / total,
                perReplica.size() * LARGEST_CHUNK);
        assertThat(worst).as("largest global deviation in messages").isLessThanOrEqualTo(perReplica.size() * LARGEST_CHUNK + 1.0);
    }

    /** Per analyzer, {@code logdist_kafka_written_messages_total} of one replica. */
    private long[] written(String replica) throws Exception {
        return series(replica, "logdist_kafka_written_messages_total");
    }

    private long[] deliveredByAnalyzer(String replica) throws Exception {
        return series(replica, "logdist_delivered_messages_total");
    }

    private long delivered(String replica) throws Exception {
        return Arrays.stream(deliveredByAnalyzer(replica)).sum();
    }

    private long[] series(String replica, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(replica + "/metrics"))).body();
        long[] out = new long[NAMES.length];
        Matcher m = Pattern.compile("(?m)^" + name + "\\{analyzer=\"([^\"]+)\",?\\} ([0-9.E+]+)$").matcher(text);
        boolean any = false;
        while (m.find()) {
            int i = Arrays.asList(NAMES).indexOf(m.group(1));
            if (i >= 0) {
                out[i] = (long) Double.parseDouble(m.group(2));
                any = true;
            }
        }
        assertThat(any).as(name + " in /metrics of " + replica).isTrue();
        return out;
    }

    private HttpResponse<String> health(String replica) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(replica + "/health")).timeout(Duration.ofSeconds(10)));
    }

    private HttpResponse<String> post(String replica, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(replica + "/logs")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Packets.packet(new Random(7), "probe", id, 3))));
    }

    private JsonNode json(String url) throws Exception {
        return Http.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url))).body());
    }

    /** One test's analyzers (on {@link #host}), its topics ({@code <name>-} prefix) and the replicas it starts. */
    private final class Run {
        final String prefix;
        final Path data;
        final Processes processes;
        final int[] ports = new int[NAMES.length];
        final List<Process> distributors = new ArrayList<>();
        private final String analyzers;

        Run(String name, Processes processes) throws Exception {
            this.prefix = "it-" + name + "-";
            this.processes = processes;
            this.data = Files.createTempDirectory(Processes.LOGS, "kafka-cluster-" + name + "-");
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < NAMES.length; i++) {
                ports[i] = Processes.freePort();
                processes.analyzer(NAMES[i], host, ports[i], data.resolve("analyzer-" + NAMES[i]));
                list.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                        .append("=http://").append(host).append(':').append(ports[i]).append("/logs");
            }
            this.analyzers = list.toString();
        }

        Map<String, String> env(int r) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "DISTRIBUTOR_ANALYZERS", analyzers,
                    "DISTRIBUTOR_DATA_DIR", data.resolve("distributor-" + r).toString(),
                    "DISTRIBUTOR_BUFFER", "kafka",
                    "DISTRIBUTOR_KAFKA_BOOTSTRAP", cluster.bootstrap(),
                    "DISTRIBUTOR_KAFKA_TOPIC_PREFIX", prefix,
                    "DISTRIBUTOR_BREAKER_OPEN_MS", "1000",
                    "DISTRIBUTOR_RETRY_DELAY_MS", "50"));
            env.put("JAVA_OPTS", "-Xms256m -Xmx256m -XX:+UseSerialGC");
            return env;
        }

        /** Starts replica {@code r} on loopback; its base URL. */
        String replica(int r) throws Exception {
            int port = Processes.freePort();
            distributors.add(processes.distributor(prefix + r, port, env(r)));
            return "http://127.0.0.1:" + port;
        }

        /** Starts a replica inside the namespace, listening on its veth address, ready once its /health answers 200. */
        Process replicaInside(NetworkNamespace ns, int port) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(ns.exec(Processes.ROOT.resolve("bin/distributor").toString()))
                    .directory(Processes.ROOT.toFile());
            pb.environment().putAll(env(9));
            pb.environment().put("DISTRIBUTOR_PORT", String.valueOf(port));
            pb.environment().put("DISTRIBUTOR_HOST", ns.address);
            pb.environment().put("DISTRIBUTOR_MANAGEMENT_PORT", String.valueOf(Processes.freePort()));
            pb.redirectErrorStream(true).redirectOutput(Processes.LOGS.resolve("distributor-" + prefix + "netns.log").toFile());
            Process p = pb.start();
            await("replica in " + ns.name + " healthy on " + ns.address + ":" + port).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        if (!p.isAlive()) {
                            throw new AssertionError("replica in " + ns.name + " exited with " + p.exitValue());
                        }
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(ns.address, port), 200);
                        }
                        return health("http://" + ns.address + ":" + port).statusCode() == 200;
                    });
            return p;
        }

        /**
         * Every packet answered 202 is in an analyzer's journal, every lag is back to 0 (nothing stranded), duplicates
         * (a packet counted by two analyzers, or twice by one) at most 0.5 %, shares within one point.
         */
        void assertDelivered(ReplicaLoad load, List<String> replicas) throws Exception {
            assertDelivered(load, replicas, 0);
        }

        /** As above, with {@code redeliveries} more duplicates allowed: batches delivered and never committed. */
        void assertDelivered(ReplicaLoad load, List<String> replicas, int redeliveries) throws Exception {
            Map<String, Integer> accepted = load.accepted;
            Map<String, Integer> seen = new HashMap<>();
            await("every packet answered 202 in an analyzer's journal").atMost(Duration.ofSeconds(120)).until(() -> {
                seen.clear();
                seen.putAll(AnalyzerJournals.copiesByPacket(data, NAMES));
                return seen.keySet().containsAll(accepted.keySet());
            });
            await("every lag back to 0").atMost(Duration.ofSeconds(60)).until(() -> {
                for (JsonNode a : json(replicas.get(0) + "/analyzers")) {
                    if (a.get("lag").asLong() != 0) {
                        return false;
                    }
                }
                return true;
            });
            long across = seen.values().stream().mapToLong(n -> n - 1).sum();
            long within = 0;
            for (int p : ports) {
                within += json("http://" + host + ":" + p + "/stats").get("duplicatePackets").asLong();
            }
            long duplicates = across + within;
            System.out.printf("%s: %d packets answered 202, all delivered; duplicates %d (%d by two analyzers, %d by the"
                    + " same) = %.3f %%%n", prefix, accepted.size(), duplicates, across, within, 100.0 * duplicates / accepted.size());
            assertThat(duplicates).as("duplicates (%d by two analyzers, %d by the same) of %d packets", across, within,
                    accepted.size()).isLessThanOrEqualTo(accepted.size() / 200 + redeliveries);
            long[] messages = new long[NAMES.length];
            for (int i = 0; i < NAMES.length; i++) {
                for (AnalyzerJournals.Entry e : AnalyzerJournals.read(data.resolve("analyzer-" + NAMES[i]))) {
                    messages[i] += e.messages();
                }
            }
            long total = Arrays.stream(messages).sum();
            for (int i = 0; i < NAMES.length; i++) {
                assertThat(Math.abs((double) messages[i] / total - WEIGHTS[i])).as("share of %s", NAMES[i])
                        .isLessThanOrEqualTo(0.01);
            }
        }
    }
}
