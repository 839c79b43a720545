package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The distributor's data directory on a 64 MiB tmpfs of the test's own, filled up by a file while an analyzer is down
 * under hold: ingest answers 503 while the journal cannot take more, no record is torn, and once the filler is deleted
 * ingest takes packets again without a restart; after the analyzer is back, and across a restart of the distributor,
 * every packet answered 202 is delivered (judged by ids).
 */
class DiskFullIT {

    private static final String[] NAMES = {"up", "down"};

    private final Http http = new Http();
    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void should_answer_503_while_the_disk_is_full_tear_no_record_and_lose_no_acknowledged_packet() throws Exception {
        Path dir = Files.createTempDirectory(Processes.LOGS, "disk-full-");
        Path tmpfs = Files.createDirectories(dir.resolve("tmpfs"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", tmpfs.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0,
                "needs root to mount a tmpfs: " + new String(m.getInputStream().readAllBytes()));
        mount = tmpfs;
        try (Processes processes = new Processes()) {
            int[] ports = {Processes.freePort(), Processes.freePort()};
            Process[] analyzers = new Process[2];
            for (int i = 0; i < 2; i++) {
                analyzers[i] = processes.analyzer(NAMES[i], ports[i], dir.resolve("analyzer-" + NAMES[i]));
            }
            int port = Processes.freePort();
            Map<String, String> env = Map.of(
                    "DISTRIBUTOR_ANALYZERS", "up@1=http://127.0.0.1:" + ports[0] + "/logs,down@1=http://127.0.0.1:" + ports[1] + "/logs",
                    "DISTRIBUTOR_DATA_DIR", tmpfs.resolve("distributor").toString(),
                    "DISTRIBUTOR_OUTAGE_POLICY", "hold",
                    "DISTRIBUTOR_SPOOL_SEGMENT_BYTES", "4194304",
                    // no reserve: the appends themselves run into the full disk, and must be cut back whole
                    "DISTRIBUTOR_SPOOL_MIN_FREE_BYTES", "0",
                    "DISTRIBUTOR_BREAKER_OPEN_MS", "1000");
            Process distributor = processes.distributor("disk-full-1", port, env);
            try (Agents agents = new Agents(port, 4, Duration.ofMillis(2), 1_000_000).start()) {
                await("load under way").atMost(Duration.ofSeconds(60)).until(() -> agents.acceptedCount() >= 500);
                Processes.kill(analyzers[1]);
                await("the down analyzer's chunks pile up on disk").atMost(Duration.ofSeconds(60))
                        .until(() -> journalBytes(port, 1) > 4 << 20);

                Path filler = tmpfs.resolve("filler");
                fill(filler);
                await("503 while the disk is full").atMost(Duration.ofSeconds(30)).until(() -> agents.statuses().contains(503));
                long duringFull = agents.acceptedCount();
                Files.delete(filler);
                await("202 again once there is room, without a restart").atMost(Duration.ofSeconds(30))
                        .until(() -> agents.acceptedCount() > duringFull + 500);

                analyzers[1] = processes.analyzer(NAMES[1], ports[1], dir.resolve("analyzer-" + NAMES[1]));
                Processes.stop(distributor);
                processes.distributor("disk-full-2", port, env);
                long after = agents.acceptedCount() + 500;
                await("load across the restart").atMost(Duration.ofSeconds(60)).until(() -> agents.acceptedCount() >= after);
                agents.stop();
                assertThat(agents.statuses()).isSubsetOf(202, 503);

                Map<String, Agents.Sent> accepted = agents.accepted();
                await("every acknowledged packet delivered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> AnalyzerJournals.copiesByPacket(dir, NAMES).keySet().containsAll(accepted.keySet()));
                // the restarted distributor read its journals back: a torn record would have been cut or skipped
                String log = Files.readString(newestLog("distributor-disk-full-2"));
                assertThat(log).contains("pending records recovered").doesNotContain("torn or corrupt tail", "corrupt bytes from byte")
                        .doesNotContainPattern("[1-9][0-9]* corrupt bytes skipped");
            }
        }
    }

    /** Writes zeros until the file system refuses. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device: the point
        }
    }

    private long journalBytes(int port, int analyzer) throws Exception {
        return http.getJson(port, "/analyzers").get(analyzer).get("journalBytes").asLong();
    }

    private static Path newestLog(String prefix) throws IOException {
        try (var files = Files.list(Processes.LOGS)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .max(java.util.Comparator.comparingLong(p -> p.toFile().lastModified())).orElseThrow();
        }
    }

}
