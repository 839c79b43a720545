package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product as users run it: four {@code bin/analyzer} processes and one {@code bin/distributor}, configured only
 * by environment variables, on random loopback ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributorIT {

    private static final String[] NAMES = {"a1", "a2", "a3", "a4"};
    private static final double[] WEIGHTS = {0.4, 0.3, 0.1, 0.2};

    private final Processes processes = new Processes();
    private final Http http = new Http();
    private final int[] analyzerPorts = new int[4];
    private int port;
    private int managementPort;

    @BeforeAll
    void start() throws Exception {
        StringBuilder analyzers = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            analyzerPorts[i] = Processes.freePort();
            processes.analyzer(NAMES[i], analyzerPorts[i]);
            analyzers.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                    .append("=http://127.0.0.1:").append(analyzerPorts[i]).append("/logs");
        }
        port = Processes.freePort();
        managementPort = Processes.freePort();
        Path data = Files.createTempDirectory("distributor-it");
        processes.distributor("main", port, Map.of("DISTRIBUTOR_ANALYZERS", analyzers.toString(),
                "DISTRIBUTOR_DATA_DIR", data.toString(), "DISTRIBUTOR_MANAGEMENT_PORT", String.valueOf(managementPort)));
    }

    @AfterAll
    void stop() throws Exception {
        processes.close();
    }

    private long[] analyzerMessages() throws Exception {
        long[] counts = new long[4];
        for (int i = 0; i < 4; i++) {
            counts[i] = http.getJson(analyzerPorts[i], "/stats").get("messages").asLong();
        }
        return counts;
    }

    private long analyzerDuplicates() throws Exception {
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += http.getJson(analyzerPorts[i], "/stats").get("duplicatePackets").asLong();
        }
        return sum;
    }

    @Test
    @Order(1)
    void should_deliver_100000_messages_exactly_once_in_weighted_shares() throws Exception {
        int total = 100_000;
        int clients = 8;
        AtomicLong accepted = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            work.add(pool.submit(() -> {
                Random random = new Random(client);
                int mine = total / clients;
                while (mine > 0) {
                    int size = Math.min(mine, 1 + random.nextInt(200));
                    HttpResponse<String> r = http.postJson(port, "/logs", Packets.packet(random, "agent-" + client, null, size));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                    JsonNode body = Http.JSON.readTree(r.body());
                    assertThat(body.get("accepted").asInt()).isEqualTo(size);
                    assertThat(body.get("packetId").asText()).isNotBlank();
                    accepted.addAndGet(size);
                    mine -= size;
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(accepted.get()).isEqualTo(total);

        await("every accepted message delivered").atMost(Duration.ofSeconds(60))
                .until(() -> sum(analyzerMessages()) >= total);
        long[] counts = analyzerMessages();
        assertThat(sum(counts)).as("delivered exactly once").isEqualTo(total);
        assertThat(analyzerDuplicates()).isZero();
        for (int i = 0; i < 4; i++) {
            double share = (double) counts[i] / total;
            assertThat(Math.abs(share - WEIGHTS[i])).as("share of %s: %s", NAMES[i], share).isLessThanOrEqualTo(0.005);
        }
        JsonNode view = http.getJson(port, "/analyzers");
        for (int i = 0; i < 4; i++) {
            assertThat(view.get(i).get("name").asText()).isEqualTo(NAMES[i]);
            assertThat(view.get(i).get("messagesDelivered").asLong()).isEqualTo(counts[i]);
            assertThat(view.get(i).get("targetShare").asDouble()).isCloseTo(WEIGHTS[i], org.assertj.core.data.Offset.offset(1e-9));
            assertThat(view.get(i).get("state").asText()).isEqualTo("UP");
        }
    }

    @Test
    @Order(2)
    void should_split_large_packets_and_still_deliver_every_message_once() throws Exception {
        long before = sum(analyzerMessages());
        Random random = new Random(42);
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = http.postJson(port, "/logs", Packets.packet(random, "bulk", "bulk-" + i, 2_000));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sum(analyzerMessages()) - before >= 12_000);
        assertThat(sum(analyzerMessages()) - before).isEqualTo(12_000);
        assertThat(analyzerDuplicates()).isZero();
    }

    @Test
    @Order(3)
    void should_acknowledge_a_resent_packet_id_again_but_deliver_it_once() throws Exception {
        long before = sum(analyzerMessages());
        byte[] packet = Packets.packet(new Random(7), "agent-r", "resent-1", 5);
        HttpResponse<String> first = http.postJson(port, "/logs", packet);
        assertThat(first.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> sum(analyzerMessages()) - before == 5);
        HttpResponse<String> again = http.postJson(port, "/logs", packet);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Http.JSON.readTree(again.body()).get("packetId").asText()).isEqualTo("resent-1");
        // a marker sent after the re-sent packet: once it is counted, a second delivery would have been queued too
        assertThat(http.postJson(port, "/logs", Packets.packet(new Random(8), "agent-r", "marker-1", 3)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> sum(analyzerMessages()) - before >= 8);
        assertThat(sum(analyzerMessages()) - before).isEqualTo(8);
        assertThat(analyzerDuplicates()).isZero();
    }

    @Test
    @Order(4)
    void should_take_gzip_bodies() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(Packets.packet(new Random(3), "agent-gz", null, 20));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(Http.url(port, "/logs"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(Http.JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(20);
    }

    @Test
    @Order(5)
    void should_answer_each_bad_input_with_its_4xx_and_a_json_error() throws Exception {
        String good = new String(Packets.packet(new Random(1), "agent-x", null, 2), StandardCharsets.UTF_8);
        Map<String, Integer> statuses = new HashMap<>();
        statuses.put("malformed", bad(post("application/json", "{\"agentId\": \"a\", \"messages\": [")));
        statuses.put("invalid field", bad(post("application/json", good.replace("\"INFO\"", "\"LOUD\"")
                .replace("\"debug\"", "\"LOUD\"").replace("\"TRACE\"", "\"LOUD\"").replace("\"Warn\"", "\"LOUD\"")
                .replace("\"ERROR\"", "\"LOUD\"").replace("\"fatal\"", "\"LOUD\""))));
        statuses.put("missing agentId", bad(post("application/json", "{\"messages\":[]}")));
        statuses.put("no content type", bad(http.send(HttpRequest.newBuilder(Http.url(port, "/logs"))
                .POST(HttpRequest.BodyPublishers.ofString(good)))));
        statuses.put("text/plain", bad(post("text/plain", good)));
        statuses.put("form", bad(post("application/x-www-form-urlencoded", "agentId=a&messages=b&x%20y=1")));
        // a form body that is no valid form encoding fails in Vert.x before any route: still the 415 it deserves
        statuses.put("broken form", bad(post("application/x-www-form-urlencoded", "{\"message\":\"50%zz off\"}")));
        statuses.put("GET /logs", bad(http.send(HttpRequest.newBuilder(Http.url(port, "/logs")).GET())));
        statuses.put("DELETE /logs", bad(http.send(HttpRequest.newBuilder(Http.url(port, "/logs")).DELETE())));
        statuses.put("too large", bad(post("application/json", "[" + "1,".repeat(4_300_000) + "1]")));
        // with no Content-Length (chunked), the limit is found while reading
        statuses.put("too large, chunked", bad(postChunked("[" + "1,".repeat(4_300_000) + "1]")));
        assertThat(statuses).containsEntry("malformed", 400).containsEntry("invalid field", 400)
                .containsEntry("missing agentId", 400).containsEntry("no content type", 415)
                .containsEntry("text/plain", 415).containsEntry("form", 415).containsEntry("broken form", 415)
                .containsEntry("GET /logs", 405)
                .containsEntry("DELETE /logs", 405).containsEntry("too large", 413)
                .containsEntry("too large, chunked", 413);
        HttpResponse<String> chunked = postChunked(good);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(202);
        assertThat(Http.JSON.readTree(chunked.body()).get("accepted").asInt()).isEqualTo(2);

        HttpResponse<String> invalid = post("application/json", "{\"agentId\":\"a\",\"messages\":[{\"level\":\"x\"}]}");
        JsonNode body = Http.JSON.readTree(invalid.body());
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("violations")).extracting(v -> v.get("path").asText())
                .contains("messages[0].level", "messages[0].timestamp", "messages[0].message");
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(Http.url(port, "/logs")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code body} as a chunked request: the client names no length (as a body written as it is read). */
    private HttpResponse<String> postChunked(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(Http.url(port, "/logs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
    }

    /** The status of a 4xx answer, after checking it is JSON with an error and echoes no stack trace. */
    private static int bad(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(Http.JSON.readTree(r.body()).get("error").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
        return r.statusCode();
    }

    @Test
    @Order(6)
    void should_never_answer_5xx_to_mutated_bodies_and_still_take_good_packets() throws Exception {
        Random random = new Random(2026);
        byte[] seed = Packets.packet(random, "agent-fuzz", null, 3);
        int accepted = 0;
        for (int i = 0; i < 400; i++) {
            byte[] body = Mutations.mutate(seed, random);
            HttpResponse<String> r = http.postJson(port, "/logs", body);
            assertThat(r.statusCode()).as("mutation %d: %s", i, new String(body, StandardCharsets.UTF_8)).isLessThan(500);
            if (r.statusCode() == 202) {
                accepted++;
            } else {
                bad(r);
            }
        }
        long before = sum(analyzerMessages());
        assertThat(http.postJson(port, "/logs", Packets.packet(random, "agent-after", null, 4)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> sum(analyzerMessages()) - before >= 4);
        assertThat(accepted).as("some mutations stay valid").isLessThan(400);
    }

    @Test
    @Order(7)
    void should_answer_json_for_unknown_paths_and_health() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(Http.url(port, "/nowhere")));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Http.JSON.readTree(r.body()).get("error").asText()).contains("/nowhere");
        assertThat(http.send(HttpRequest.newBuilder(Http.url(port, "/health"))).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void should_expose_prometheus_metrics_per_analyzer() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(Http.url(port, "/metrics")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        JsonNode view = http.getJson(port, "/analyzers");
        for (int i = 0; i < 4; i++) {
            String delivered = "logdist_delivered_messages_total{analyzer=\"" + NAMES[i] + "\"} ";
            assertThat(r.body()).contains(delivered + (double) view.get(i).get("messagesDelivered").asLong());
            assertThat(r.body()).contains("logdist_target_share{analyzer=\"" + NAMES[i] + "\"} " + WEIGHTS[i]);
        }
        assertThat(r.body()).contains("logdist_ingest_requests_total{status=\"202\"}", "logdist_ingest_requests_total{status=\"400\"}",
                "logdist_ingest_duration_seconds_bucket", "logdist_delivery_duration_seconds_count{analyzer=\"a1\"}",
                "logdist_spooled_chunks{analyzer=\"a3\"}", "logdist_breaker_state{analyzer=\"a2\"}", "jvm_memory_used_bytes");
    }

    @Test
    @Order(9)
    void should_follow_a_weight_changed_at_run_time() throws Exception {
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(Http.url(port, "/analyzers/a3/weight"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": 0}")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(http.send(HttpRequest.newBuilder(Http.url(port, "/analyzers/nobody/weight"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": 1}")))
                .statusCode()).isEqualTo(404);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(Http.url(port, "/analyzers/a3/weight"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": 0.4}")));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        double[] shares = {0.4 / 1.3, 0.3 / 1.3, 0.4 / 1.3, 0.2 / 1.3};
        assertThat(Http.JSON.readTree(ok.body()).get("targetShare").asDouble()).isCloseTo(shares[2], org.assertj.core.data.Offset.offset(1e-9));
        assertThat(http.getJson(port, "/analyzers").get(2).get("targetShare").asDouble())
                .isCloseTo(shares[2], org.assertj.core.data.Offset.offset(1e-9));

        long[] before = analyzerMessages();
        Random random = new Random(99);
        int total = 0;
        for (int i = 0; i < 200; i++) {
            int size = 1 + random.nextInt(100);
            assertThat(http.postJson(port, "/logs", Packets.packet(random, "agent-w", "w-" + i, size)).statusCode()).isEqualTo(202);
            total += size;
        }
        int sent = total;
        await().atMost(Duration.ofSeconds(30)).until(() -> sum(analyzerMessages()) - sum(before) == sent);
        long[] after = analyzerMessages();
        for (int i = 0; i < 4; i++) {
            assertThat(Math.abs((after[i] - before[i]) - shares[i] * sent)).as("%s after the change", NAMES[i]).isLessThanOrEqualTo(100);
        }
    }

    @Test
    @Order(10)
    void should_show_its_routes_through_jolokia_for_hawtio_and_refuse_what_is_not_allowed() throws Exception {
        JsonNode routes = http.getJson(managementPort,
                "/observe/jolokia/read/org.apache.camel:context=*,type=routes,name=*/RouteId");
        assertThat(routes.get("status").asInt()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        routes.get("value").forEach(v -> ids.add(v.get("RouteId").asText()));
        assertThat(ids).contains("ingest-http", "balance-chunks", "deliver-a1", "send-a3", "replay-a4", "status-analyzers");
        JsonNode weights = http.getJson(managementPort, "/observe/jolokia/read/dev.logdist:type=Weights/Weights");
        assertThat(weights.get("value").asText()).contains("a1@0.4");
        JsonNode denied = http.getJson(managementPort,
                "/observe/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/x.hprof/true");
        assertThat(denied.get("status").asInt()).isNotEqualTo(200);

        // What hawtio sends for its route diagrams and route source: one bulk POST, operations with their signature.
        List<Map<String, Object>> readOuts = List.of(
                Map.of("type", "exec", "mbean", "org.apache.camel:context=log-distributor,type=context,name=\"log-distributor\"",
                        "operation", "dumpRoutesAsXml()"),
                Map.of("type", "exec", "mbean", "org.apache.camel:context=log-distributor,type=routes,name=\"send-a1\"",
                        "operation", "dumpRouteStatsAsXml", "arguments", List.of(true, true)));
        JsonNode answers = Http.JSON.readTree(
                http.postJson(managementPort, "/observe/jolokia", Http.JSON.writeValueAsBytes(readOuts)).body());
        answers.forEach(answer -> assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(200));
        assertThat(answers.get(0).get("value").asText()).contains("id=\"send-a1\"");
        // Any operation the policy does not name is refused (403), and so is every attribute write.
        for (String refused : List.of("/observe/jolokia/exec/java.lang:type=Memory/gc()",
                "/observe/jolokia/write/java.lang:type=Memory/Verbose/false")) {
            assertThat(http.getJson(managementPort, refused).get("status").asInt()).as(refused).isEqualTo(403);
        }
    }

    private static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }
}
