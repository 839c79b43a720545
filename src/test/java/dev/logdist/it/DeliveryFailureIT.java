package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** An analyzer process that dies: its chunks are retried, then parked on disk and counted; none is lost. */
class DeliveryFailureIT {

    private final Http http = new Http();

    @Test
    void should_park_and_count_every_chunk_an_analyzer_that_died_could_not_take() throws Exception {
        try (Processes processes = new Processes()) {
            int upPort = Processes.freePort();
            int gonePort = Processes.freePort();
            processes.analyzer("up", upPort);
            Process gone = processes.analyzer("gone", gonePort);
            Path data = Files.createTempDirectory("delivery-failure");
            int port = Processes.freePort();
            processes.distributor("failure", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "up@1=http://127.0.0.1:" + upPort + "/logs,gone@1=http://127.0.0.1:" + gonePort + "/logs",
                    "DISTRIBUTOR_DATA_DIR", data.toString(),
                    "DISTRIBUTOR_DELIVERY_RETRIES", "1",
                    "DISTRIBUTOR_RETRY_DELAY_MS", "50"));
            assertThat(Processes.stop(gone)).isNotNegative();
            assertThat(Processes.listening(gonePort)).isFalse();

            Random random = new Random(5);
            for (int i = 0; i < 20; i++) {
                assertThat(http.postJson(port, "/logs", Packets.packet(random, "agent-f", "f-" + i, 10)).statusCode()).isEqualTo(202);
            }
            Path parked = data.resolve("dead-letter/gone");
            await("chunks for the dead analyzer parked").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> parkedMessages(parked) + http.getJson(upPort, "/stats").get("messages").asLong() == 200);
            assertThat(parkedMessages(parked)).isEqualTo(100);

            JsonNode view = http.getJson(port, "/analyzers");
            JsonNode goneView = view.get(1);
            assertThat(goneView.get("name").asText()).isEqualTo("gone");
            assertThat(goneView.get("state").asText()).isEqualTo("DOWN");
            assertThat(goneView.get("spooled").asLong()).isEqualTo(10);
            assertThat(goneView.get("failures").asLong()).isEqualTo(20);
            assertThat(view.get(0).get("messagesDelivered").asLong()).isEqualTo(100);
        }
    }

    private static long parkedMessages(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.toList();
            long sum = 0;
            for (Path f : list) {
                sum += Http.JSON.readTree(f.toFile()).get("messages").size();
            }
            return sum;
        }
    }
}
