package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while an analyzer answers slowly and thousands of chunks wait for it: ingest answers 503 (never 404) while
 * the distributor stops, it exits 0 within its drain time, and after a restart every packet it acknowledged is
 * delivered, since what the drain did not deliver is still in the journal.
 */
class DrainIT {

    private static final String[] NAMES = {"fast", "slow"};

    private final Http http = new Http();

    @Test
    void should_exit_0_within_the_drain_and_deliver_every_acknowledged_packet_after_a_restart() throws Exception {
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory(Processes.LOGS, "drain-");
            int[] ports = {Processes.freePort(), Processes.freePort()};
            for (int i = 0; i < 2; i++) {
                processes.analyzer(NAMES[i], ports[i], data.resolve("analyzer-" + NAMES[i]));
            }
            http.postJson(ports[1], "/admin/fail", "{\"mode\":\"slow\",\"ms\":2000}".getBytes());
            int port = Processes.freePort();
            Map<String, String> env = Map.of(
                    "DISTRIBUTOR_ANALYZERS", "fast@1=http://127.0.0.1:" + ports[0] + "/logs,slow@1=http://127.0.0.1:" + ports[1] + "/logs",
                    "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString(),
                    // one small batch at a time to the slow one, so that thousands of its chunks wait in memory
                    "DISTRIBUTOR_DELIVERY_MAX_BATCH", "2",
                    "DISTRIBUTOR_DELIVERY_TIMEOUT_MS", "5000");
            Process distributor = processes.distributor("drain-1", port, env);

            Set<Integer> whileStopping = new HashSet<>();
            try (Agents agents = new Agents(port, 6, Duration.ofMillis(2), 1_000_000).start()) {
                await("thousands of chunks waiting for the slow analyzer").atMost(Duration.ofSeconds(90))
                        .until(() -> queued(port, 1) >= 2000);
                long start = System.nanoTime();
                distributor.destroy(); // SIGTERM
                // what agents hear while it stops: a 503 to retry, never a 404 (the route of /logs is being removed)
                while (distributor.isAlive() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                    try {
                        whileStopping.add(http.postJson(port, "/logs", Packets.packet(new java.util.Random(), "prober",
                                null, 1)).statusCode());
                    } catch (java.io.IOException closed) {
                        break; // the server has closed its port
                    }
                }
                assertThat(distributor.waitFor(30, TimeUnit.SECONDS)).as("ended within the drain").isTrue();
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(distributor.exitValue()).as("exit status after a drain of %d ms", tookMs).isZero();
                assertThat(tookMs).as("the drain is bounded (camel.main.shutdown-timeout 15 s)").isLessThan(25_000);
                assertThat(whileStopping).as("answers while stopping").isSubsetOf(202, 503);

                http.postJson(ports[1], "/admin/fail", "{\"mode\":\"ok\"}".getBytes());
                processes.distributor("drain-2", port, env);
                agents.stop();
                Map<String, Agents.Sent> accepted = agents.accepted();
                assertThat(accepted).hasSizeGreaterThan(2000);
                await("every acknowledged packet delivered after the restart").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> AnalyzerJournals.copiesByPacket(data, NAMES).keySet().containsAll(accepted.keySet()));
            }
        }
    }

    private long queued(int port, int analyzer) throws Exception {
        return http.getJson(port, "/analyzers").get(analyzer).get("queued").asLong();
    }

}
