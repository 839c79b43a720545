package dev.logdist.analyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
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
        return post(port, path, body);
    }

    private HttpResponse<String> post(int to, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode stats() throws Exception {
        return stats(port);
    }

    private JsonNode stats(int of) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + of + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static String packet(String id, int messages) {
        return packet("a", id, messages);
    }

    /** A packet of {@code agent} (none when null) with id {@code id} (none when null) and {@code messages} messages. */
    static String packet(String agent, String id, int messages) {
        StringBuilder b = new StringBuilder("{");
        if (agent != null) {
            b.append("\"agentId\":\"").append(agent).append("\",");
        }
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

    static String batch(String... packets) {
        return "{\"packets\":[" + String.join(",", packets) + "]}";
    }

    @Test
    void should_count_two_agents_that_number_their_packets_alike_apart() throws Exception {
        for (String agent : new String[] {"agent-1", "agent-2"}) {
            for (int id = 1; id <= 3; id++) {
                assertThat(post("/logs", packet(agent, String.valueOf(id), 2)).statusCode()).isEqualTo(200);
            }
        }
        JsonNode s = stats();
        assertThat(s.get("packets").asLong()).isEqualTo(6);
        assertThat(s.get("messages").asLong()).isEqualTo(12);
        assertThat(s.get("duplicatePackets").asLong()).isZero();

        assertThat(post("/logs", packet("agent-1", "2", 2)).body()).isEqualTo("{\"packets\":1,\"new\":0}");
        // in one batch too; a packet without agent id keys on its packet id alone
        assertThat(post("/logs", batch(packet("agent-3", "1", 1), packet("agent-3", "1", 1), packet(null, "1", 1),
                packet(null, "1", 1))).body()).isEqualTo("{\"packets\":4,\"new\":2}");
        s = stats();
        assertThat(s.get("packets").asLong()).isEqualTo(8);
        assertThat(s.get("messages").asLong()).isEqualTo(14);
        assertThat(s.get("duplicatePackets").asLong()).isEqualTo(3);
    }

    @Test
    void should_refuse_ids_that_would_break_a_journal_line() throws Exception {
        assertThat(post("/logs", packet("agent 1", "p1", 1)).statusCode()).isEqualTo(400);
        assertThat(post("/logs", packet("a", "p\\n1", 1)).statusCode()).isEqualTo(400);
        assertThat(post("/logs", packet("", "p1", 1)).statusCode()).isEqualTo(400);
        assertThat(stats().get("packets").asLong()).isZero();
    }

    @Test
    void should_reject_only_requests_that_hold_the_packet_id_or_agent_and_count_nothing_of_them() throws Exception {
        HttpResponse<String> set = post("/admin/fail", "{\"mode\":\"reject\",\"packetId\":\"x\"}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).get("packetId").asText()).isEqualTo("x");
        // a chunk of x inside a batch refuses the whole batch
        HttpResponse<String> refused = post("/logs", batch(packet("y", 2), packet("x#2", 3)));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("x#2");
        assertThat(post("/logs", packet("x", 1)).statusCode()).isEqualTo(400);
        assertThat(post("/logs", packet("other-agent", "x#1", 1)).statusCode()).isEqualTo(400);
        assertThat(stats().get("packets").asLong()).isZero();
        assertThat(stats().get("messages").asLong()).isZero();
        // "xy" and "y" are other packets
        assertThat(post("/logs", batch(packet("y", 2), packet("xy", 1))).statusCode()).isEqualTo(200);
        assertThat(stats().get("packets").asLong()).isEqualTo(2);

        assertThat(post("/admin/fail", "{\"mode\":\"reject\",\"agentId\":\"bad\"}").statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("bad", "q", 1)).statusCode()).isEqualTo(400);
        assertThat(post("/logs", packet("good", "q", 1)).statusCode()).isEqualTo(200);

        assertThat(post("/admin/fail", "{\"mode\":\"reject\",\"agentId\":\"bad\",\"packetId\":\"x\"}").statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("bad", "q", 1)).statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("good", "x", 1)).statusCode()).isEqualTo(200);
        assertThat(post("/logs", batch(packet("good", "z", 1), packet("bad", "x#1", 1))).statusCode()).isEqualTo(400);

        assertThat(post("/admin/fail", "{\"mode\":\"ok\"}").statusCode()).isEqualTo(200);
        assertThat(post("/logs", batch(packet("y", 2), packet("x#2", 3))).body()).isEqualTo("{\"packets\":2,\"new\":1}");
        JsonNode s = stats();
        assertThat(s.get("packets").asLong()).isEqualTo(6);
        assertThat(s.get("messages").asLong()).isEqualTo(9);
        assertThat(s.get("duplicatePackets").asLong()).isEqualTo(1);
        assertThat(s.get("failedRequests").asLong()).isEqualTo(5);
    }

    @Test
    void should_answer_the_chosen_status_with_a_json_body_and_count_nothing() throws Exception {
        for (int status : new int[] {401, 403, 404, 405, 408, 413, 301, 503}) {
            HttpResponse<String> set = post("/admin/fail", "{\"mode\":\"status\",\"status\":" + status + "}");
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(set.body()).get("status").asInt()).isEqualTo(status);
            HttpResponse<String> answer = post("/logs", packet("s" + status, 2));
            assertThat(answer.statusCode()).isEqualTo(status);
            assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(JSON.readTree(answer.body()).get("error").asText()).contains(String.valueOf(status));
        }
        assertThat(post("/admin/fail", "{\"mode\":\"status\",\"status\":401,\"ms\":300}").statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        assertThat(post("/logs", packet("late", 1)).statusCode()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        JsonNode s = stats();
        assertThat(s.get("packets").asLong()).isZero();
        assertThat(s.get("mode").asText()).isEqualTo("status");

        assertThat(post("/admin/fail", "{\"mode\":\"ok\"}").statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("s401", 2)).body()).isEqualTo("{\"packets\":1,\"new\":1}");
    }

    @Test
    void should_refuse_fault_settings_it_cannot_follow_naming_the_field() throws Exception {
        String[][] cases = {
            {"{\"mode\":\"status\"}", "status"},
            {"{\"mode\":\"status\",\"status\":200}", "status"},
            {"{\"mode\":\"status\",\"status\":600}", "status"},
            {"{\"mode\":\"status\",\"status\":\"401\"}", "status"},
            {"{\"mode\":\"status\",\"status\":401.5}", "status"},
            {"{\"mode\":\"reject\",\"packetId\":5}", "packetId"},
            {"{\"mode\":\"reject\",\"agentId\":\"\"}", "agentId"},
            {"{\"mode\":\"error\",\"packetId\":\"x\"}", "packetId"},
            {"{\"mode\":\"explode\"}", "mode"},
            {"{}", "mode"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post("/admin/fail", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(c[0]).contains(c[1]);
        }
        assertThat(stats().get("mode").asText()).isEqualTo("ok");
    }

    @Test
    void should_hang_without_a_byte_or_a_close_and_count_nothing() throws Exception {
        // an idle timeout shorter than the clients' patience: a hung request must outlast it
        AnalyzerServer hanging = new AnalyzerServer(vertx, "hanging", 100);
        hanging.idleTimeout(Duration.ofMillis(300));
        int at = hanging.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        assertThat(post(at, "/admin/fail", "{\"mode\":\"hang\"}").statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + "/logs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(packet("h1", 2)))
                .timeout(Duration.ofMillis(800)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(answer::isDone);
        assertThatThrownBy(answer::get).hasCauseInstanceOf(HttpTimeoutException.class);

        try (Socket socket = send(at, packet("h2", 1))) {
            socket.setSoTimeout(1_500);
            // neither a byte of an answer nor the end of stream that an idle close would bring
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        JsonNode s = stats(at);
        assertThat(s.get("packets").asLong()).isZero();
        assertThat(s.get("requests").asLong()).isEqualTo(2);
        assertThat(s.get("mode").asText()).isEqualTo("hang");
    }

    @Test
    void should_send_the_head_at_once_and_trickle_the_body_after_counting_the_packet() throws Exception {
        long ms = 60;
        assertThat(post("/admin/fail", "{\"mode\":\"trickle\",\"ms\":" + ms + "}").body()).contains("\"ms\":60");
        long start = System.nanoTime();
        try (Socket socket = send(port, packet("t1", 3))) {
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            String head = head(in);
            long headMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(head).startsWith("HTTP/1.1 200");
            String expected = "{\"packets\":1,\"new\":1}";
            assertThat(head.toLowerCase(java.util.Locale.ROOT)).contains("content-length: " + expected.length());
            assertThat(headMs).isLessThan(ms * expected.length() / 2);
            // taken and journaled before the answer began
            assertThat(stats().get("packets").asLong()).isEqualTo(1);

            int[] reads = new int[1];
            CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> read(in, expected.length(), reads));
            await().atMost(Duration.ofSeconds(20)).until(body::isDone);
            long totalMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(body.get()).isEqualTo(expected);
            assertThat(totalMs).isGreaterThanOrEqualTo(ms * expected.length());
            // it came in small pieces, not at once at the end
            assertThat(reads[0]).isGreaterThanOrEqualTo(expected.length() / 2);
        }
        assertThat(stats().get("messages").asLong()).isEqualTo(3);
    }

    /** Sends {@code POST /logs} with {@code body} on a plain socket, leaving the answer to be read. */
    private static Socket send(int to, String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", to);
        socket.setTcpNoDelay(true);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /logs HTTP/1.1\r\nHost: 127.0.0.1:" + to + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    /** The status line and headers, read byte by byte up to the empty line that ends them. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Exactly {@code length} bytes, counting in {@code reads} how many reads they took. */
    private static String read(InputStream in, int length, int[] reads) {
        byte[] body = new byte[length];
        try {
            int at = 0;
            while (at < length) {
                int n = in.read(body, at, length - at);
                if (n < 0) {
                    throw new IOException("closed after " + at + " of " + length + " bytes");
                }
                at += n;
                reads[0]++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
