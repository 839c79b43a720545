package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An analyzer that refuses one packet (400) among the many coalesced with it: only that packet is parked, the rest
 * delivered; and once the analyzer takes it again, {@code POST /analyzers/{name}/redrive} delivers what was parked.
 */
class RefusedChunksIT {

    private static final String TOKEN = "redrive-token";
    private final Http http = new Http();

    @Test
    void should_park_only_the_refused_packet_of_a_batch_and_deliver_it_when_redriven() throws Exception {
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory("refused");
            int a1 = Processes.freePort();
            processes.analyzer("a1", a1, data.resolve("a1"));
            int port = Processes.freePort();
            processes.distributor("refused", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "a1@1=http://127.0.0.1:" + a1 + "/logs",
                    "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString(),
                    "DISTRIBUTOR_TOKEN", TOKEN,
                    "DISTRIBUTOR_DELIVERY_LINGER_MS", "100"));
            String refused = "r-137";
            assertThat(http.postJson(a1, "/admin/fail", ("{\"mode\":\"reject\",\"packetId\":\"" + refused + "\"}")
                    .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);

            Accepted accepted = new Accepted(TOKEN);
            accepted.post(port, "r", 300, 30);
            Path parkedDir = data.resolve("distributor/rejected/a1");
            await("every other packet delivered, the refused one parked").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> accepted.missing(Accepted.journaled(data.resolve("a1")), Accepted.parked(parkedDir)).isEmpty());
            assertThat(Accepted.parked(parkedDir)).as("parked").containsExactly(refused);
            Set<String> journaled = Accepted.journaled(data.resolve("a1"));
            assertThat(journaled).doesNotContain(refused).hasSize(accepted.ids.size() - 1);
            JsonNode stats = http.getJson(a1, "/stats");
            assertThat(stats.get("requests").asLong()).as("requests for %d packets: they were coalesced", accepted.ids.size())
                    .isLessThan(accepted.ids.size() / 2);
            JsonNode view = http.getJson(port, "/analyzers").get(0);
            assertThat(view.get("rejected").asLong()).isEqualTo(1);
            assertThat(view.get("parked").asLong()).isEqualTo(1);
            assertThat(view.get("packetsDelivered").asLong()).as("delivered, counted once").isEqualTo(accepted.ids.size() - 1);
            assertThat(metric(port, "logdist_parked_chunks{analyzer=\"a1\"}")).isEqualTo(1.0);
            assertThat(Files.readString(Files.list(parkedDir).filter(p -> p.toString().endsWith(".reason")).findFirst()
                    .orElseThrow())).startsWith("HTTP 400").contains("rejects packet " + refused);

            assertThat(redrive(port, null).statusCode()).as("redrive without the token").isEqualTo(401);
            assertThat(http.postJson(a1, "/admin/fail", "{\"mode\":\"ok\"}".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> redriven = redrive(port, TOKEN);
            assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
            assertThat(Http.JSON.readTree(redriven.body()).get("redriven").asLong()).isEqualTo(1);
            assertThat(Http.JSON.readTree(redriven.body()).get("name").asText()).isEqualTo("a1");
            await("the redriven packet in a1's journal").atMost(Duration.ofSeconds(30))
                    .until(() -> Accepted.journaled(data.resolve("a1")).contains(refused));
            await("nothing parked any more").atMost(Duration.ofSeconds(10))
                    .until(() -> http.getJson(port, "/analyzers").get(0).get("parked").asLong() == 0
                            && metric(port, "logdist_parked_chunks{analyzer=\"a1\"}") == 0.0);
            assertThat(Accepted.parked(parkedDir)).isEmpty();
            assertThat(http.getJson(a1, "/stats").get("duplicatePackets").asLong()).isZero();
            assertThat(http.getJson(port, "/analyzers").get(0).get("packetsDelivered").asLong()).isEqualTo(accepted.ids.size());
        }
    }

    private HttpResponse<String> redrive(int port, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(Http.url(port, "/analyzers/a1/redrive"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request);
    }

    private double metric(int port, String series) throws Exception {
        String text = http.send(HttpRequest.newBuilder(Http.url(port, "/metrics"))).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
