package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Analyzers that hang instead of dying: stopped with SIGSTOP in the middle of a large write, answering their status
 * line and then trickling, cut off by a network partition that drops every packet, accepting connections and never
 * answering. Each under steady load on one of four analyzers: DOWN within twice the delivery timeout, a probe that
 * hangs counts as a failure within the deadline, the other three keep their throughput, and once the fault is lifted
 * every packet accepted with 202 is in some analyzer's journal, with few duplicates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HungAnalyzerIT {

    private static final int DELIVERY_TIMEOUT_MS = 2000;
    private static final long DOWN_WITHIN_MS = 2L * DELIVERY_TIMEOUT_MS;
    private static final int OPEN_MS = 2000;
    private static final String[] NAMES = {"a", "b", "c", "v"};
    /** The analyzer the faults are done to; a, b and c stay healthy. */
    private static final int VICTIM = 3;

    private final Http http = new Http();
    private final Processes processes = new Processes();
    private final int[] ports = new int[NAMES.length];
    private final Path[] journals = new Path[NAMES.length];
    private Path data;
    private Process victim;
    private NetworkNamespace namespace;
    private Process partitioned;

    @BeforeAll
    void start_the_analyzers() throws Exception {
        data = Files.createTempDirectory("hung-analyzer");
        for (int i = 0; i < NAMES.length; i++) {
            ports[i] = Processes.freePort();
            journals[i] = data.resolve("analyzer-" + NAMES[i]);
            Process p = processes.analyzer(NAMES[i], ports[i], journals[i]);
            if (i == VICTIM) {
                victim = p;
            }
        }
    }

    @AfterAll
    void stop_everything() throws Exception {
        try {
            if (victim != null && victim.isAlive()) {
                signal(victim, "CONT");
            }
            if (partitioned != null && partitioned.isAlive()) {
                Processes.stop(partitioned);
            }
            processes.close();
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    @Test
    void should_take_an_analyzer_stopped_mid_write_down_within_twice_the_timeout_and_lose_nothing() throws Exception {
        // one packet of four chunks of 4000 messages (8 MB each), one chunk per analyzer: the stopped one's chunk is
        // more than the socket buffers take, so the distributor is left blocked in a socket write
        byte[] bulk = bulkPacket("sigstop-bulk", 16_000, 2000);
        Scenario s = new Scenario("sigstop", "hold", loopbackVictim(), Map.of(
                "DISTRIBUTOR_MAX_BODY_BYTES", String.valueOf(48 << 20),
                "DISTRIBUTOR_MAX_MESSAGES_PER_PACKET", "16000",
                "DISTRIBUTOR_MAX_CHUNK_MESSAGES", "4000"));
        s.expect("sigstop-bulk#1", "sigstop-bulk#2", "sigstop-bulk#3", "sigstop-bulk#4");
        s.run(new Fault() {
            long windowStart;

            @Override
            public long apply() throws Exception {
                // the victim idle, so that the large chunk is the first thing written to it once it is stopped
                s.agents.pause();
                await("v idle").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(new java.util.concurrent.Callable<>() {
                            long last = -1;

                            @Override
                            public Boolean call() throws Exception {
                                JsonNode v = s.view().get(VICTIM);
                                long delivered = v.get("packetsDelivered").asLong();
                                boolean idle = v.get("queued").asLong() == 0 && delivered == last;
                                last = delivered;
                                return idle;
                            }
                        });
                long at = System.nanoTime();
                signal(victim, "STOP");
                HttpResponse<String> r = http.postJson(s.port, "/logs", bulk);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                s.agents.resume();
                await("the distributor blocked writing the large chunk into the stopped analyzer")
                        .atMost(Duration.ofMillis(DELIVERY_TIMEOUT_MS)).pollInterval(Duration.ofMillis(20))
                        .until(() -> unsentBytesTo(ports[VICTIM]) >= 64 * 1024);
                // the other analyzers' rate is measured once their own large chunks are delivered
                windowStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                return at;
            }

            @Override
            public long windowStart(long faultAt) {
                return windowStart;
            }

            @Override
            public void whileFaulty(long downAt) throws Exception {
                s.probeFailsWithinDeadline(downAt);
            }

            @Override
            public void lift() throws Exception {
                signal(victim, "CONT");
            }
        });
    }

    @Test
    void should_take_an_analyzer_that_trickles_its_answer_down_within_twice_the_timeout_and_lose_nothing() throws Exception {
        Scenario s = new Scenario("trickle", "hold", loopbackVictim(), Map.of());
        // the shortest fault, and the one with duplicates (what v journaled but answered too slowly): more packets after
        s.tailSeconds = 4;
        s.run(new Fault() {
            @Override
            public long apply() throws Exception {
                long at = System.nanoTime();
                // the status line at once, then a byte every 400 ms: each read well within the timeout, the answer not
                mode(ports[VICTIM], "{\"mode\":\"trickle\",\"ms\":400}");
                return at;
            }

            @Override
            public void whileFaulty(long downAt) throws Exception {
                // lifted before the first probe: a trickling analyzer journals what it is sent, so every probe it
                // answers too slowly would be delivered again
                awaitUntil(downAt + TimeUnit.MILLISECONDS.toNanos(OPEN_MS / 2));
            }

            @Override
            public void lift() throws Exception {
                mode(ports[VICTIM], "{\"mode\":\"ok\"}");
            }
        });
    }

    @Test
    void should_take_a_partitioned_analyzer_down_within_twice_the_timeout_and_lose_nothing() throws Exception {
        namespace = NetworkNamespace.create();
        int port = Processes.freePort();
        Path journal = data.resolve("analyzer-v-partitioned");
        partitioned = startInside(namespace, "v", port, journal);
        try {
            Scenario s = new Scenario("partition", "hold", new Victim(namespace.address, port, journal), Map.of());
            s.run(new Fault() {
                @Override
                public long apply() throws Exception {
                    long at = System.nanoTime();
                    namespace.partition();
                    return at;
                }

                @Override
                public void whileFaulty(long downAt) throws Exception {
                    s.probeFailsWithinDeadline(downAt);
                }

                @Override
                public void lift() throws Exception {
                    namespace.heal();
                }
            });
        } finally {
            Processes.stop(partitioned);
            partitioned = null;
            namespace.close();
            namespace = null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hold", "failover"})
    void should_take_an_analyzer_that_never_answers_down_within_twice_the_timeout_and_lose_nothing(String policy)
            throws Exception {
        Scenario s = new Scenario("hang-" + policy, policy, loopbackVictim(), Map.of());
        s.run(new Fault() {
            @Override
            public long apply() throws Exception {
                long at = System.nanoTime();
                mode(ports[VICTIM], "{\"mode\":\"hang\"}");
                return at;
            }

            @Override
            public void whileFaulty(long downAt) throws Exception {
                s.probeFailsWithinDeadline(downAt);
            }

            @Override
            public void lift() throws Exception {
                mode(ports[VICTIM], "{\"mode\":\"ok\"}");
            }
        });
    }

    /** A fault done to the victim: done, endured, lifted. */
    interface Fault {
        /** Does the fault; returns when it took effect ({@link System#nanoTime()}). */
        long apply() throws Exception;

        /** From when the others' throughput is compared with before: by default from the fault on. */
        default long windowStart(long faultAt) {
            return faultAt;
        }

        /** What to see, once the victim is DOWN, before the fault is lifted. */
        void whileFaulty(long downAt) throws Exception;

        /** Lifts the fault; may be called twice. */
        void lift() throws Exception;
    }

    record Victim(String host, int port, Path journal) {
    }

    private Victim loopbackVictim() {
        return new Victim("127.0.0.1", ports[VICTIM], journals[VICTIM]);
    }

    /** One run: a distributor over a, b, c and the victim, steady agents, the fault, its lifting, the count by id. */
    final class Scenario {
        final String label;
        final String policy;
        final Victim victim;
        final Map<String, String> env = new HashMap<>();
        final Set<String> extraIds = new HashSet<>();
        int port;
        SteadyAgents agents;
        Sampler sampler;
        /** How long the load goes on once the victim is UP again. */
        int tailSeconds = 1;

        Scenario(String label, String policy, Victim victim, Map<String, String> extraEnv) throws Exception {
            this.label = label;
            this.policy = policy;
            this.victim = victim;
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < NAMES.length; i++) {
                String host = i == VICTIM ? victim.host() : "127.0.0.1";
                int p = i == VICTIM ? victim.port() : ports[i];
                list.append(i == 0 ? "" : ",").append(NAMES[i]).append("@0.25=http://").append(host).append(':').append(p)
                        .append("/logs");
            }
            env.put("DISTRIBUTOR_ANALYZERS", list.toString());
            env.put("DISTRIBUTOR_DATA_DIR", data.resolve("distributor-" + label).toString());
            env.put("DISTRIBUTOR_OUTAGE_POLICY", policy);
            env.put("DISTRIBUTOR_DELIVERY_TIMEOUT_MS", String.valueOf(DELIVERY_TIMEOUT_MS));
            env.put("DISTRIBUTOR_BREAKER_OPEN_MS", String.valueOf(OPEN_MS));
            env.putAll(extraEnv);
        }

        /** Ids, beyond the agents' accepted packets, that must be in the journals at the end (chunks of a bulk). */
        void expect(String... ids) {
            extraIds.addAll(List.of(ids));
        }

        void run(Fault fault) throws Exception {
            Map<Integer, Long> duplicatesBefore = duplicatesByAnalyzer();
            port = Processes.freePort();
            Process distributor = processes.distributor(label, port, env);
            agents = new SteadyAgents(http, port, label, 4, 25, 20, 120);
            sampler = new Sampler(http, port, 120);
            boolean lifted = false;
            try {
                sampler.start();
                agents.start();
                await("all four analyzers UP and taking traffic").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100)).until(() -> {
                            JsonNode view = view();
                            for (int i = 0; i < NAMES.length; i++) {
                                if (!view.get(i).get("state").asText().equals("UP")
                                        || view.get(i).get("messagesDelivered").asLong() == 0) {
                                    return false;
                                }
                            }
                            return agents.acceptedCount() >= 200;
                        });
                Sampler.Sample before0 = sampler.latest();
                awaitUntil(before0.at() + TimeUnit.SECONDS.toNanos(3));
                Sampler.Sample before1 = sampler.latest();

                long faultAt = fault.apply();
                long downAt = awaitState("DOWN", faultAt, Duration.ofSeconds(20));
                long toDownMs = TimeUnit.NANOSECONDS.toMillis(downAt - faultAt);
                System.out.printf("HungAnalyzerIT[%s]: v DOWN %d ms after the fault%n", label, toDownMs);
                assertThat(toDownMs).as("[%s] ms from the fault to v DOWN", label).isLessThanOrEqualTo(DOWN_WITHIN_MS);
                long windowStart = fault.windowStart(faultAt);
                fault.whileFaulty(downAt);
                Sampler.Sample during1 = sampler.latest();
                Sampler.Sample during0 = sampler.at(windowStart);
                fault.lift();
                lifted = true;

                for (int i = 0; i < VICTIM; i++) {
                    double was = before1.rate(before0, i);
                    double is = during1.rate(during0, i);
                    System.out.printf("HungAnalyzerIT[%s]: %s delivered %.0f msgs/s before, %.0f while v was faulty%n",
                            label, NAMES[i], was, is);
                    assertThat(is).as("[%s] messages/s delivered to %s while v was faulty, against %.0f before", label,
                            NAMES[i], was).isGreaterThanOrEqualTo(0.9 * was);
                }
                if (policy.equals("failover")) {
                    Sampler.Sample afterDown = sampler.at(Math.max(downAt, windowStart));
                    double was = before1.rate(before0, 0) + before1.rate(before0, 1) + before1.rate(before0, 2);
                    double is = during1.rate(afterDown, 0) + during1.rate(afterDown, 1) + during1.rate(afterDown, 2);
                    assertThat(is).as("[%s] a, b and c take v's share while it is down (messages/s, %.0f before)", label, was)
                            .isGreaterThanOrEqualTo(1.15 * was);
                } else {
                    assertThat(sampler.maxSpooled(VICTIM)).as("[%s] v's chunks kept in its spool while it is down", label).isPositive();
                }

                awaitState("UP", System.nanoTime(), Duration.ofSeconds(30));
                awaitUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(tailSeconds));
                agents.finish();
                assertThat(agents.refused()).as("[%s] answers other than 202: %s", label, agents.refusals()).isZero();
                checkEverythingDelivered(duplicatesBefore);
            } finally {
                agents.stop();
                sampler.close();
                if (!lifted) {
                    fault.lift();
                }
                Processes.stop(distributor);
            }
        }

        /** Every accepted id in a journal (0 lost, by id), duplicates at most 0.5 % of the packets; hold: exact shares. */
        private void checkEverythingDelivered(Map<Integer, Long> duplicatesBefore) throws Exception {
            Set<String> expected = new HashSet<>(agents.accepted());
            expected.addAll(extraIds);
            List<String> missing = new ArrayList<>();
            await("[" + label + "] every id accepted with 202 in an analyzer's journal").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        Set<String> seen = new HashSet<>();
                        for (Path j : journalsOfRun()) {
                            for (AnalyzerJournals.Entry e : AnalyzerJournals.read(j)) {
                                seen.add(e.id());
                            }
                        }
                        missing.clear();
                        expected.stream().filter(id -> !seen.contains(id)).limit(20).forEach(missing::add);
                        return missing.isEmpty();
                    });
            assertThat(missing).as("[%s] accepted and in no journal", label).isEmpty();

            // a duplicate is a packet counted twice by one analyzer or journaled by two: never offsets a loss above
            Map<String, Integer> journaledBy = new HashMap<>();
            long[] messages = new long[NAMES.length];
            List<Path> runJournals = journalsOfRun();
            for (int i = 0; i < runJournals.size(); i++) {
                for (AnalyzerJournals.Entry e : AnalyzerJournals.read(runJournals.get(i))) {
                    if (expected.contains(e.id())) {
                        journaledBy.merge(e.id(), 1, Integer::sum);
                        messages[i] += e.messages();
                    }
                }
            }
            long crossJournal = journaledBy.values().stream().mapToLong(n -> n - 1).sum();
            Map<Integer, Long> duplicatesAfter = duplicatesByAnalyzer();
            long counted = 0;
            for (int i = 0; i < NAMES.length; i++) {
                counted += duplicatesAfter.get(i) - duplicatesBefore.get(i);
            }
            long packets = expected.size();
            System.out.printf("HungAnalyzerIT[%s]: %d packets accepted, 0 lost, %d counted again, %d in two journals%n",
                    label, packets, counted, crossJournal);
            assertThat(counted + crossJournal).as("[%s] duplicates of %d packets", label, packets)
                    .isLessThanOrEqualTo(packets / 200);
            if (policy.equals("hold")) {
                long total = java.util.Arrays.stream(messages).sum();
                for (int i = 0; i < NAMES.length; i++) {
                    assertThat((double) messages[i] / total).as("[%s] share of %s under hold", label, NAMES[i])
                            .isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.02));
                }
            }
        }

        private List<Path> journalsOfRun() {
            return List.of(journals[0], journals[1], journals[2], victim.journal());
        }

        /** Per analyzer of this run, the duplicates it counted so far (/stats). */
        private Map<Integer, Long> duplicatesByAnalyzer() throws Exception {
            Map<Integer, Long> d = new HashMap<>();
            for (int i = 0; i < NAMES.length; i++) {
                String host = i == VICTIM ? victim.host() : "127.0.0.1";
                int p = i == VICTIM ? victim.port() : ports[i];
                d.put(i, Http.JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + host + ":" + p + "/stats"))).body()).get("duplicatePackets").asLong());
            }
            return d;
        }

        /** RECOVERING (a probe let through) and, the probe hanging, DOWN again within the deadline and a margin. */
        void probeFailsWithinDeadline(long downAt) {
            long recovering = awaitState("RECOVERING", downAt, Duration.ofMillis(OPEN_MS + 3000L));
            long down = awaitState("DOWN", recovering, Duration.ofSeconds(20));
            long ms = TimeUnit.NANOSECONDS.toMillis(down - recovering);
            System.out.printf("HungAnalyzerIT[%s]: v RECOVERING -> DOWN after %d ms%n", label, ms);
            assertThat(ms).as("[%s] ms a hanging probe kept v RECOVERING", label)
                    .isLessThanOrEqualTo(DELIVERY_TIMEOUT_MS + 1000L);
        }

        JsonNode view() throws Exception {
            return http.getJson(port, "/analyzers");
        }

        /** Waits for the victim's state to be {@code state} from {@code since} on; returns when it was first seen so. */
        long awaitState(String state, long since, Duration atMost) {
            await("[" + label + "] v " + state).atMost(atMost).pollInterval(Duration.ofMillis(20))
                    .until(() -> sampler.first(VICTIM, state, since).isPresent());
            return sampler.first(VICTIM, state, since).orElseThrow().at();
        }
    }

    /** Waits until {@link System#nanoTime()} reaches {@code deadline}: a measuring window, not a condition. */
    private static void awaitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return;
        }
        await().atMost(Duration.ofNanos(left).plusSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() >= deadline);
    }

    private void mode(int analyzerPort, String json) throws Exception {
        assertThat(http.postJson(analyzerPort, "/admin/fail", json.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    /** Sends {@code signal} (STOP, CONT) to the process by its PID. */
    private static void signal(Process p, String signal) throws Exception {
        NetworkNamespace.Result r = NetworkNamespace.run("kill", "-" + signal, String.valueOf(p.pid()));
        assertThat(r.ok()).as("kill -%s %d: %s", signal, p.pid(), r.output()).isTrue();
    }

    /** Bytes the distributor wrote towards {@code port} that the peer has not taken yet (ss's Send-Q), summed. */
    private static long unsentBytesTo(int port) throws Exception {
        NetworkNamespace.Result r = NetworkNamespace.run("ss", "-tnH", "state", "established", "( dport = :" + port + " )");
        long unsent = 0;
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4) {
                unsent += Long.parseLong(f[1]);
            }
        }
        return unsent;
    }

    /** An analyzer inside the namespace, listening on its veth address, ready once it accepts a connection there. */
    private Process startInside(NetworkNamespace ns, String name, int port, Path journal) throws Exception {
        Files.createDirectories(Processes.LOGS);
        ProcessBuilder pb = new ProcessBuilder(ns.exec(Processes.ROOT.resolve("bin/analyzer").toString()))
                .directory(Processes.ROOT.toFile());
        pb.environment().putAll(Map.of("ANALYZER_PORT", String.valueOf(port), "ANALYZER_NAME", name,
                "ANALYZER_HOST", ns.address, "ANALYZER_DATA_DIR", journal.toString()));
        pb.redirectErrorStream(true).redirectOutput(Processes.LOGS.resolve("analyzer-" + name + "-netns.log").toFile());
        Process p = pb.start();
        await("analyzer in " + ns.name + " listening on " + ns.address + ":" + port).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("analyzer in " + ns.name + " exited with " + p.exitValue());
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(ns.address, port), 200);
                        return true;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
        return p;
    }

    /** One packet of {@code messages} messages of about {@code messageChars} characters each. */
    private static byte[] bulkPacket(String id, int messages, int messageChars) {
        String text = "x".repeat(messageChars);
        StringBuilder b = new StringBuilder(messages * (messageChars + 120)).append("{\"agentId\":\"agent-bulk\",\"packetId\":\"")
                .append(id).append("\",\"messages\":[");
        for (int i = 0; i < messages; i++) {
            b.append(i == 0 ? "" : ",").append("{\"timestamp\":\"2026-11-25T10:00:00.123Z\",\"level\":\"INFO\",\"message\":\"")
                    .append(i).append(' ').append(text).append("\"}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
