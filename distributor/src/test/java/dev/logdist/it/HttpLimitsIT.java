package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The HTTP server's limits, each set to a small value, against clients on raw sockets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpLimitsIT {

    private static final int MAX_CONNECTIONS = 40;
    private static final int BODY_TIMEOUT_MS = 3000;

    private final Processes processes = new Processes();
    private final Http http = new Http();
    private int port;
    private int analyzer;

    @BeforeAll
    void start() throws Exception {
        analyzer = Processes.freePort();
        processes.analyzer("limits", analyzer);
        port = Processes.freePort();
        processes.distributor("limits", port, Map.of(
                "DISTRIBUTOR_ANALYZERS", "limits@1=http://127.0.0.1:" + analyzer + "/logs",
                "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("limits").toString(),
                "DISTRIBUTOR_MAX_HEADER_BYTES", "4096",
                "DISTRIBUTOR_MAX_INITIAL_LINE_BYTES", "1024",
                "DISTRIBUTOR_IDLE_TIMEOUT_SECONDS", "3",
                "DISTRIBUTOR_BODY_TIMEOUT_MS", String.valueOf(BODY_TIMEOUT_MS),
                "DISTRIBUTOR_MAX_CONNECTIONS", String.valueOf(MAX_CONNECTIONS),
                "DISTRIBUTOR_MAX_JSON_DEPTH", "8",
                "DISTRIBUTOR_MAX_JSON_STRING_CHARS", "70000"));
    }

    @AfterAll
    void stop() throws Exception {
        processes.close();
    }

    private String postHead(int contentLength, String extraHeader) {
        return "POST /logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + contentLength
                + (extraHeader.isEmpty() ? "" : "\r\n" + extraHeader);
    }

    private static JsonNode json(RawHttp.Answer a) throws IOException {
        assertThat(a.headers().get("content-type")).startsWith("application/json");
        return Http.JSON.readTree(a.body());
    }

    @Test
    void should_answer_431_in_json_to_headers_over_max_header_bytes_and_take_them_under_it() throws Exception {
        byte[] packet = Packets.packet(new Random(1), "agent-h", null, 2);
        RawHttp.Answer big = RawHttp.exchange(port, postHead(packet.length, "X-Pad: " + "p".repeat(5000)), packet);
        assertThat(big.status()).isEqualTo(431);
        assertThat(json(big).get("error").asText()).contains("4096 bytes (distributor.max-header-bytes)");

        RawHttp.Answer fits = RawHttp.exchange(port, postHead(packet.length, "X-Pad: " + "p".repeat(3000)), packet);
        assertThat(fits.status()).as(fits.body()).isEqualTo(202);
    }

    @Test
    void should_tell_a_client_that_expects_100_continue_to_send_its_body_unless_it_is_over_the_limit() throws Exception {
        byte[] packet = Packets.packet(new Random(3), "agent-continue", null, 3);
        try (Socket s = RawHttp.connect(port, 5000)) {
            // the head alone: a client that asked waits for the 100 before it sends the body
            s.getOutputStream().write((postHead(packet.length, "Expect: 100-continue") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(100);
            s.getOutputStream().write(packet);
            s.getOutputStream().flush();
            RawHttp.Answer accepted = RawHttp.read(s.getInputStream());
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            assertThat(json(accepted).get("accepted").asInt()).isEqualTo(3);
        }
        try (Socket s = RawHttp.connect(port, 5000)) {
            // over distributor.max-body-bytes: the final answer at once, no 100 first, no body sent
            s.getOutputStream().write((postHead(9_000_000, "Expect: 100-continue") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            RawHttp.Answer tooLarge = RawHttp.read(s.getInputStream());
            assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(413);
            assertThat(json(tooLarge).get("error").asText()).contains("distributor.max-body-bytes");
        }
    }

    @Test
    void should_answer_414_in_json_to_a_request_line_over_max_initial_line_bytes() throws Exception {
        RawHttp.Answer longLine = RawHttp.exchange(port, "GET /analyzers?q=" + "q".repeat(1100) + " HTTP/1.1\r\nHost: x", new byte[0]);
        assertThat(longLine.status()).isEqualTo(414);
        assertThat(json(longLine).get("error").asText()).contains("1024 bytes (distributor.max-initial-line-bytes)");
        assertThat(RawHttp.exchange(port, "GET /analyzers?q=" + "q".repeat(900) + " HTTP/1.1\r\nHost: x", new byte[0]).status())
                .isEqualTo(200);
    }

    @Test
    void should_name_the_json_depth_and_string_settings_and_the_path_where_they_were_crossed() throws Exception {
        String message = "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"%s\"}";
        String ok = String.format(message, "hi");
        // 1 (packet) + 7 arrays = 8 levels: within the limit, so only the unknown field is wrong
        HttpResponse<String> deepEnough = http.postJson(port, "/logs", ("{\"agentId\":\"a\",\"x\":" + "[".repeat(7) + "]".repeat(7)
                + ",\"messages\":[" + ok + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(deepEnough.statusCode()).isEqualTo(400);
        assertThat(deepEnough.body()).contains("unknown field").doesNotContain("max-json-depth");

        HttpResponse<String> tooDeep = http.postJson(port, "/logs", ("{\"agentId\":\"a\",\"messages\":[" + ok.replace("}",
                ",\"attributes\":{\"k\":" + "[".repeat(6) + "]".repeat(6) + "}}") + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(tooDeep.statusCode()).isEqualTo(400);
        JsonNode deep = Http.JSON.readTree(tooDeep.body());
        assertThat(deep.get("error").asText()).contains("nested deeper than 8 levels (distributor.max-json-depth)");
        assertThat(deep.get("violations").get(0).get("path").asText()).startsWith("messages[0].attributes.k[0]");

        // a message text has its own, lower limit (max-message-chars); the JSON limit bounds every other string
        HttpResponse<String> tooLong = http.postJson(port, "/logs", ("{\"agentId\":\"" + "a".repeat(80_000)
                + "\",\"messages\":[" + ok + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        JsonNode longString = Http.JSON.readTree(tooLong.body());
        assertThat(longString.get("error").asText()).contains("longer than 70000 characters (distributor.max-json-string-chars)");
        assertThat(longString.get("violations").get(0).get("path").asText()).isEqualTo("agentId");
    }

    @Test
    void should_close_a_connection_that_stays_silent_past_the_idle_timeout() throws Exception {
        try (Socket idle = RawHttp.connect(port, 15_000)) {
            long start = System.nanoTime();
            assertThat(RawHttp.closedByServer(idle)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(12));
        }
    }

    @Test
    void should_answer_408_to_trickled_bodies_and_close_them_while_other_packets_are_accepted() throws Exception {
        byte[] head = (postHead(100_000, "") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
        AtomicInteger bytesTrickled = new AtomicInteger();
        try {
            for (int i = 0; i < 16; i++) {
                Socket s = RawHttp.connect(port, 10_000);
                s.getOutputStream().write(head);
                slow.add(s);
                // one byte every 100 ms, at most 100 of them: the 100,000-byte body would take hours
                AtomicInteger left = new AtomicInteger(100);
                trickle.scheduleAtFixedRate(() -> {
                    try {
                        if (left.getAndDecrement() > 0) {
                            s.getOutputStream().write('{');
                            bytesTrickled.incrementAndGet();
                        }
                    } catch (IOException closed) {
                        left.set(0);
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
            }
            long start = System.nanoTime();
            long before = http.getJson(analyzer, "/stats").get("messages").asLong();
            Random random = new Random(7);
            for (int i = 0; i < 20; i++) {
                long sent = System.nanoTime();
                HttpResponse<String> r = http.postJson(port, "/logs", Packets.packet(random, "agent-fast", null, 3));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(2));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 20 packets went in while the bodies trickled")
                    .isLessThan(Duration.ofMillis(BODY_TIMEOUT_MS));
            await("the 20 packets counted").atMost(Duration.ofSeconds(15)).until(
                    () -> http.getJson(analyzer, "/stats").get("messages").asLong() == before + 60);

            for (Socket s : slow) {
                RawHttp.Answer a = RawHttp.read(s.getInputStream());
                assertThat(a).as("an answer, not a silent close").isNotNull();
                assertThat(a.status()).isEqualTo(408);
                assertThat(json(a).get("error").asText()).contains(BODY_TIMEOUT_MS + " ms (distributor.body-timeout-ms)");
                assertThat(RawHttp.closedByServer(s)).as("connection closed after the 408").isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(BODY_TIMEOUT_MS - 200));
            assertThat(bytesTrickled.get()).as("cut off long before the trickle ended").isLessThan(16 * 100);
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void should_refuse_connections_beyond_max_connections_and_take_new_ones_once_some_close() throws Exception {
        List<Socket> held = new ArrayList<>();
        int served = 0;
        boolean refused = false;
        try {
            for (int i = 0; i < MAX_CONNECTIONS + 10 && !refused; i++) {
                Socket s = RawHttp.connect(port, 5000);
                held.add(s);
                try {
                    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    RawHttp.Answer a = RawHttp.read(s.getInputStream());
                    if (a == null) {
                        refused = true;
                    } else {
                        assertThat(a.status()).isEqualTo(200);
                        served++;
                    }
                } catch (java.net.SocketException | SocketTimeoutException e) {
                    refused = true;
                }
            }
            assertThat(refused).as("a connection past the cap is refused").isTrue();
            assertThat(served).isLessThanOrEqualTo(MAX_CONNECTIONS).isGreaterThanOrEqualTo(MAX_CONNECTIONS / 2);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        await("room again once the held connections closed").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(Http.url(port, "/health"))).statusCode() == 200);
    }
}
