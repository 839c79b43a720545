package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The promise itself: a packet answered 202 reaches its analyzers, whatever happens to the distributor. Agents post
 * under load while the distributor is killed with kill -9 five times at random moments and restarted on the same data
 * directory, once while an analyzer is down under hold. Loss is judged by ids: every packet the agents got 202 for
 * must be in an analyzer's journal.
 */
class CrashLoopIT {

    private static final String[] NAMES = {"a1", "a2", "a3", "a4"};
    private static final double[] WEIGHTS = {0.4, 0.3, 0.1, 0.2};
    private static final int KILLS = 5;

    private final Http http = new Http();

    @Test
    void should_deliver_every_acknowledged_packet_across_five_kill_9s_of_the_distributor() throws Exception {
        Random random = new Random(20261201);
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory(Processes.LOGS, "crash-loop-");
            int[] ports = new int[NAMES.length];
            Process[] analyzers = new Process[NAMES.length];
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < NAMES.length; i++) {
                ports[i] = Processes.freePort();
                analyzers[i] = processes.analyzer(NAMES[i], ports[i], data.resolve("analyzer-" + NAMES[i]));
                list.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                        .append("=http://127.0.0.1:").append(ports[i]).append("/logs");
            }
            int port = Processes.freePort();
            Map<String, String> env = Map.of("DISTRIBUTOR_ANALYZERS", list.toString(),
                    "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString(),
                    "DISTRIBUTOR_OUTAGE_POLICY", "hold",
                    "DISTRIBUTOR_BREAKER_OPEN_MS", "1000",
                    "DISTRIBUTOR_DELIVERY_RETRIES", "1",
                    "DISTRIBUTOR_RETRY_DELAY_MS", "50");
            Process distributor = processes.distributor("crash-0", port, env);

            try (Agents agents = new Agents(port, 6, Duration.ofMillis(4), 1_000_000).start()) {
                for (int kill = 1; kill <= KILLS; kill++) {
                    long before = agents.acceptedCount();
                    long wanted = before + 5000 + random.nextInt(4000); // a random moment under load
                    await("load under way before kill " + kill).atMost(Duration.ofSeconds(90))
                            .until(() -> agents.acceptedCount() >= wanted);
                    if (kill == 3) {
                        Processes.kill(analyzers[2]);
                        await("a3 seen DOWN").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                                .until(() -> state(port, 2).equals("DOWN"));
                    }
                    Processes.kill(distributor);
                    distributor = processes.distributor("crash-" + kill, port, env);
                    if (kill == 3) {
                        long more = agents.acceptedCount() + 500;
                        await("load goes on while a3 is down").atMost(Duration.ofSeconds(60))
                                .until(() -> agents.acceptedCount() >= more);
                        analyzers[2] = processes.analyzer(NAMES[2], ports[2], data.resolve("analyzer-" + NAMES[2]));
                    }
                }
                long last = agents.acceptedCount() + 1000;
                await("load after the last restart").atMost(Duration.ofSeconds(60)).until(() -> agents.acceptedCount() >= last);
                agents.stop();
                assertThat(agents.statuses()).as("only 202 and 503 answered").isSubsetOf(202, 503);

                Map<String, Agents.Sent> accepted = agents.accepted();
                Map<String, Integer> seen = new HashMap<>();
                await("every acknowledged packet in an analyzer's journal").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            seen.clear();
                            seen.putAll(AnalyzerJournals.copiesByPacket(data, NAMES));
                            return seen.keySet().containsAll(accepted.keySet());
                        });
                Set<String> lost = new HashSet<>(accepted.keySet());
                lost.removeAll(seen.keySet());
                assertThat(lost).as("packets answered 202 and never delivered").isEmpty();

                long twice = seen.values().stream().mapToLong(n -> n - 1).sum(); // counted by two analyzers
                long repeats = 0; // counted once, sent again to the same analyzer
                for (int port2 : ports) {
                    repeats += http.getJson(port2, "/stats").get("duplicatePackets").asLong();
                }
                assertThat(twice + repeats).as("duplicates (%d by two analyzers, %d repeats) of %d packets", twice,
                        repeats, accepted.size()).isLessThanOrEqualTo(accepted.size() / 200);

                long[] messages = messagesPerAnalyzer(data);
                long total = java.util.Arrays.stream(messages).sum();
                for (int i = 0; i < NAMES.length; i++) {
                    assertThat((double) messages[i] / total).as("share of " + NAMES[i]).isCloseTo(WEIGHTS[i],
                            org.assertj.core.data.Offset.offset(0.01));
                }
            }
        }
    }

    private String state(int port, int analyzer) throws Exception {
        return http.getJson(port, "/analyzers").get(analyzer).get("state").asText();
    }


    private static long[] messagesPerAnalyzer(Path data) throws Exception {
        long[] messages = new long[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            List<AnalyzerJournals.Entry> entries = AnalyzerJournals.read(data.resolve("analyzer-" + NAMES[i]));
            messages[i] = entries.stream().mapToLong(AnalyzerJournals.Entry::messages).sum();
        }
        return messages;
    }
}
