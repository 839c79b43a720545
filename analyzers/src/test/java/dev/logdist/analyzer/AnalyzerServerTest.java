package dev.logdist.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnalyzerServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private AnalyzerServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = new AnalyzerServer(vertx, "test-analyzer", 1000);
        port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode stats() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static String packet(String id, int messages) {
        StringBuilder b = new StringBuilder("{\"agentId\":\"a\",");
        if (id != null) {
            b.append("\"packetId\":\"").append(id).append("\",");
        }
        b.append("\"messages\":[");
        for (int i = 0; i < messages; i++) {
            b.append(i == 0 ? "" : ",").append("{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m [x] {y}\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void should_count_distinct_packets_and_their_messages() throws Exception {
        assertThat(post("/logs", packet("p1", 3)).statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("p2", 5)).statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("p1", 3)).statusCode()).isEqualTo(200);
        JsonNode s = stats();
        assertThat(s.get("name").asText()).isEqualTo("test-analyzer");
        assertThat(s.get("messages").asLong()).isEqualTo(8);
        assertThat(s.get("packets").asLong()).isEqualTo(2);
        assertThat(s.get("duplicatePackets").asLong()).isEqualTo(1);
    }

    @Test
    void should_count_coalesced_packets_one_by_one() throws Exception {
        String batch = "{\"packets\":[" + packet("b1", 2) + "," + packet("b2", 4) + "," + packet("b1", 2) + "]}";
        assertThat(post("/logs", batch).statusCode()).isEqualTo(200);
        JsonNode s = stats();
        assertThat(s.get("messages").asLong()).isEqualTo(6);
        assertThat(s.get("packets").asLong()).isEqualTo(2);
        assertThat(s.get("duplicatePackets").asLong()).isEqualTo(1);
    }

    @Test
    void should_reject_what_is_not_a_packet_and_count_nothing() throws Exception {
        assertThat(post("/logs", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/logs", "{\"agentId\":\"a\"}").statusCode()).isEqualTo(400);
        assertThat(post("/logs", "{\"packets\":[{\"packetId\":\"x\"}]}").statusCode()).isEqualTo(400);
        assertThat(stats().get("packets").asLong()).isZero();
    }

    @Test
    void should_fail_every_packet_in_error_mode_and_recover_on_ok() throws Exception {
        assertThat(post("/admin/fail", "{\"mode\":\"error\"}").statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("e1", 2)).statusCode()).isEqualTo(500);
        assertThat(stats().get("messages").asLong()).isZero();
        assertThat(post("/admin/fail", "{\"mode\":\"ok\"}").statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("e1", 2)).statusCode()).isEqualTo(200);
        assertThat(stats().get("messages").asLong()).isEqualTo(2);
        assertThat(stats().get("duplicatePackets").asLong()).isZero();
    }

    @Test
    void should_hold_each_answer_in_slow_mode_without_blocking_others() throws Exception {
        assertThat(post("/admin/fail", "{\"mode\":\"slow\",\"ms\":400}").statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        CompletableFuture<?>[] calls = new CompletableFuture<?>[8];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/logs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(packet("s" + i, 1)))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        }
        CompletableFuture.allOf(calls).get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(stats().get("packets").asLong()).isEqualTo(8);
    }

    @Test
    void should_refuse_an_unknown_mode() throws Exception {
        assertThat(post("/admin/fail", "{\"mode\":\"explode\"}").statusCode()).isEqualTo(400);
        assertThat(post("/admin/fail", "nope").statusCode()).isEqualTo(400);
    }
}
