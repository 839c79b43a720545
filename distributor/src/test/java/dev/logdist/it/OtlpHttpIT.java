package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.logdist.otlp.OtlpRequests;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * {@code POST /v1/logs} on a running {@code bin/distributor} with a real {@code bin/analyzer}: OTLP's answers in the
 * request's format (200 with partial_success, 4xx with a google.rpc.Status, 415 for other types), hostile bodies
 * (truncated or damaged protobuf, wrong wire types, huge lengths, deep nesting, bad gzip, empty bodies) each a 4xx
 * and never a 5xx, and the analyzer counting exactly the records that were answered accepted, nothing else.
 */
class OtlpHttpIT {

    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    private static Processes processes;
    private static int port;
    private static int analyzerPort;
    private static java.nio.file.Path analyzerData;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Http HTTP = new Http();
    /** The records answered accepted so far: what the analyzer must have counted, exactly. */
    private static final AtomicLong ACCEPTED = new AtomicLong();

    @BeforeContainer
    static void start() throws Exception {
        processes = new Processes();
        analyzerPort = Processes.freePort();
        analyzerData = Files.createTempDirectory("otlp-analyzer");
        processes.analyzer("otlp", analyzerPort, analyzerData);
        port = Processes.freePort();
        Map<String, String> env = new HashMap<>(HostileRequests.LIMITS);
        env.put("DISTRIBUTOR_ANALYZERS", "otlp@1=http://127.0.0.1:" + analyzerPort + "/logs");
        env.put("DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("otlp-http").toString());
        processes.distributor("otlp-http", port, env);
    }

    @AfterContainer
    static void stop() throws Exception {
        processes.close();
    }

    @Example
    void should_answer_protobuf_with_an_empty_protobuf_response_and_deliver_every_record() throws Exception {
        HttpResponse<byte[]> r = post(PROTOBUF, null, OtlpRequests.request(10).toByteArray());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        assertThat(ExportLogsServiceResponse.parseFrom(r.body()).hasPartialSuccess()).isFalse();
        assertCounted(10);
    }

    @Example
    void should_take_gzip_and_json_and_answer_json_in_json() throws Exception {
        HttpResponse<byte[]> gzip = post(PROTOBUF, "gzip", HostileRequests.gzip(OtlpRequests.request(5).toByteArray()));
        String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1795600800000000000\","
                + "\"severityNumber\":17,\"body\":{\"stringValue\":\"disk full\"},\"traceId\":\"5b8efff798038103d269b633813fc60c\","
                + "\"newerField\":{\"a\":1}}]}]}]}";
        HttpResponse<byte[]> plain = post(JSON, null, json.getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> gzipJson = post("application/json; charset=utf-8", "gzip",
                HostileRequests.gzip(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(gzip.statusCode()).isEqualTo(200);
        assertThat(plain.statusCode()).as(text(plain)).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type")).hasValue(JSON);
        assertThat(text(plain)).isEqualTo("{}");
        assertThat(gzipJson.statusCode()).isEqualTo(200);
        assertCounted(7);
    }

    @Example
    void should_take_the_valid_records_and_name_the_refused_ones_in_partial_success() throws Exception {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder()
                        .addLogRecords(LogRecord.newBuilder().setBody(text("kept")))
                        .addLogRecords(LogRecord.newBuilder())
                        .addLogRecords(LogRecord.newBuilder().setBody(text("kept too")))
                        .addLogRecords(LogRecord.newBuilder().setBody(text(""))))).build();

        HttpResponse<byte[]> r = post(PROTOBUF, null, request.toByteArray());

        assertThat(r.statusCode()).isEqualTo(200);
        ExportLogsServiceResponse response = ExportLogsServiceResponse.parseFrom(r.body());
        assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(2);
        assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo("2 log records refused: "
                + "resourceLogs[0].scopeLogs[0].logRecords[1].body is required; "
                + "resourceLogs[0].scopeLogs[0].logRecords[3].body must not be empty");
        assertCounted(2);

        HttpResponse<byte[]> json = post(JSON, null, ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":["
                + "{\"body\":{\"stringValue\":\"kept\"}},{}]}]}]}").getBytes(StandardCharsets.UTF_8));
        JsonNode partial = Http.JSON.readTree(json.body()).get("partialSuccess");
        assertThat(partial.get("rejectedLogRecords").asText()).isEqualTo("1");
        assertThat(partial.get("errorMessage").asText()).contains("logRecords[1].body is required");
        assertCounted(1);
    }

    @Example
    void should_refuse_a_request_of_refused_records_only_with_a_400_status_naming_them() throws Exception {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()))).build();

        HttpResponse<byte[]> r = post(PROTOBUF, null, request.toByteArray());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(status(r)).startsWith("3 ").contains("resourceLogs[0].scopeLogs[0].logRecords[0].body is required");
        assertCounted(0);
    }

    @Example
    void should_answer_hostile_requests_with_a_4xx_status_and_deliver_nothing_of_them() throws Exception {
        byte[] valid = OtlpRequests.request(3).toByteArray();
        List<Object[]> hostile = List.of(
                new Object[] {"truncated", PROTOBUF, null, Arrays.copyOf(valid, valid.length - 5), 400},
                new Object[] {"invalid wire type", PROTOBUF, null, new byte[] {0x0f, 0x01, 0x02}, 400},
                new Object[] {"wire type of another field", PROTOBUF, null, new byte[] {0x08, 0x05}, 400},
                new Object[] {"huge declared length", PROTOBUF, null, new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, 0x07, 0x01}, 400},
                new Object[] {"deep AnyValue", PROTOBUF, null, deep(200).toByteArray(), 400},
                new Object[] {"deep JSON", JSON, null, "{\"a\":".repeat(500).getBytes(StandardCharsets.UTF_8), 400},
                new Object[] {"bad gzip", PROTOBUF, "gzip", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3}, 400},
                new Object[] {"gzip of garbage", PROTOBUF, "gzip", HostileRequests.gzip(new byte[] {0x0f, 0x0f}), 400},
                new Object[] {"unknown encoding", PROTOBUF, "br", valid, 415},
                new Object[] {"text/plain", "text/plain", null, valid, 415},
                new Object[] {"no content type", null, null, valid, 415},
                new Object[] {"grpc", "application/grpc", null, valid, 415},
                new Object[] {"empty protobuf", PROTOBUF, null, new byte[0], 400},
                new Object[] {"empty json", JSON, null, new byte[0], 400},
                new Object[] {"json of no records", JSON, null, "{}".getBytes(StandardCharsets.UTF_8), 400},
                new Object[] {"json not a request", JSON, null, "[{\"resourceLogs\":[]}]".getBytes(StandardCharsets.UTF_8), 400},
                new Object[] {"json of the wrong types", JSON, null, "{\"resourceLogs\":[{\"scopeLogs\":\"x\"}]}"
                        .getBytes(StandardCharsets.UTF_8), 400},
                new Object[] {"json base64 ids", JSON, null, ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":"
                        + "{\"stringValue\":\"x\"},\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\"}]}]}]}").getBytes(StandardCharsets.UTF_8), 400},
                new Object[] {"protobuf as json", JSON, null, valid, 400},
                new Object[] {"json as protobuf", PROTOBUF, null, "{\"resourceLogs\":[]}".getBytes(StandardCharsets.UTF_8), 400});
        for (Object[] h : hostile) {
            HttpResponse<byte[]> r = post((String) h[1], (String) h[2], (byte[]) h[3]);
            assertThat(r.statusCode()).as("%s: %s", h[0], text(r)).isEqualTo((int) h[4]);
            assertThat(status(r)).as("%s", h[0]).matches("3 .{10,}").doesNotContain("Exception", "\tat ");
        }
        HttpResponse<byte[]> get = CLIENT.send(HttpRequest.newBuilder(Http.url(port, "/v1/logs")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertCounted(0);
    }

    @Example
    void should_refuse_a_body_over_the_limits_with_413_and_too_many_records_with_400() throws Exception {
        // 256 KiB is the limit the fuzzed distributor runs with; this gzip body is small, what it decompresses to is not
        HttpResponse<byte[]> bomb = post(PROTOBUF, "gzip", HostileRequests.gzip(new byte[300_000]));
        HttpResponse<byte[]> many = post(PROTOBUF, null, OtlpRequests.request(51).toByteArray());

        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(status(bomb)).startsWith("3 the body is larger than 262144 bytes");
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(status(many)).contains("resourceLogs[*].scopeLogs[*].logRecords holds more than 50 messages");
        assertCounted(0);
    }

    @Example
    void should_name_the_agent_by_the_header_else_by_the_resource_else_by_the_peer_address() throws Exception {
        // the other tests (random ones among them) may have sent records from the same agents: count what this one adds
        java.util.Map<String, Integer> before = messagesByAgent();
        HttpResponse<byte[]> byHeader = CLIENT.send(HttpRequest.newBuilder(Http.url(port, "/v1/logs"))
                .header("Content-Type", PROTOBUF).header("X-Agent-Id", "collector-7")
                .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpRequests.request(2).toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> byPeer = post(JSON, null, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"anonymous\"}}]}]}]}"
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> badHeader = CLIENT.send(HttpRequest.newBuilder(Http.url(port, "/v1/logs"))
                .header("Content-Type", PROTOBUF).header("X-Agent-Id", "with space")
                .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpRequests.request(2).toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(byHeader.statusCode()).isEqualTo(200);
        assertThat(byPeer.statusCode()).isEqualTo(200);
        assertThat(badHeader.statusCode()).isEqualTo(400);
        assertThat(status(badHeader)).contains("X-Agent-Id must be 1 to 128 visible characters");
        assertCounted(3);
        java.util.Map<String, Integer> added = messagesByAgent();
        before.forEach((agent, messages) -> added.merge(agent, -messages, Integer::sum));
        assertThat(added).containsEntry("collector-7", 2).containsEntry("127.0.0.1", 1).doesNotContainKey("with space");
        assertThat(messagesByAgent()).containsKey("checkout-web-1");
    }

    private static java.util.Map<String, Integer> messagesByAgent() throws Exception {
        java.util.Map<String, Integer> byAgent = new HashMap<>();
        AnalyzerJournals.read(analyzerData).forEach(e -> byAgent.merge(e.agentId(), e.messages(), Integer::sum));
        return byAgent;
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        return Arbitraries.randoms().map(random -> {
            byte[] body = OtlpRequests.request(1 + random.nextInt(8)).toByteArray();
            switch (random.nextInt(3)) {
                case 0 -> body = Arrays.copyOf(body, random.nextInt(body.length));
                case 1 -> {
                    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    byte[] noise = new byte[1 + random.nextInt(16)];
                    random.nextBytes(noise);
                    int at = random.nextInt(body.length);
                    byte[] spliced = new byte[body.length + noise.length];
                    System.arraycopy(body, 0, spliced, 0, at);
                    System.arraycopy(noise, 0, spliced, at, noise.length);
                    System.arraycopy(body, at, spliced, at + noise.length, body.length - at);
                    body = spliced;
                }
            }
            return body;
        });
    }

    @Property(tries = 300)
    void should_answer_a_damaged_protobuf_request_with_a_4xx_or_take_exactly_what_it_answers_accepted(
            @ForAll("damaged") byte[] body) throws Exception {
        boolean gzip = body.length % 2 == 0;
        HttpResponse<byte[]> r = post(PROTOBUF, gzip ? "gzip" : null, gzip ? HostileRequests.gzip(body) : body);
        Statistics.label("answers").collect(r.statusCode());
        assertThat(r.statusCode()).as(text(r)).isIn(200, 400);
        if (r.statusCode() == 200) {
            // a flip can leave a valid request: what it holds, less what was refused, was taken
            int records = ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().stream()
                    .flatMap(rl -> rl.getScopeLogsList().stream()).mapToInt(ScopeLogs::getLogRecordsCount).sum();
            long refused = ExportLogsServiceResponse.parseFrom(r.body()).getPartialSuccess().getRejectedLogRecords();
            assertCounted(records - refused);
        } else {
            assertThat(status(r)).startsWith("3 ");
            assertCounted(0);
        }
        Statistics.label("answers").coverage(c -> c.check(400).count(n -> n > 0));
    }

    @Provide
    Arbitrary<byte[]> mutatedJson() {
        return Arbitraries.randoms().map(random -> {
            try {
                return Mutations.mutate(OtlpRequests.json(1 + random.nextInt(5)).getBytes(StandardCharsets.UTF_8), random);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Property(tries = 150)
    void should_answer_a_mutated_json_request_with_a_4xx_or_take_exactly_what_it_answers_accepted(
            @ForAll("mutatedJson") byte[] body) throws Exception {
        HttpResponse<byte[]> r = post(JSON, null, body);
        Statistics.label("answers").collect(r.statusCode());
        assertThat(r.statusCode()).as("%s: %s", new String(body, StandardCharsets.UTF_8), text(r)).isIn(200, 400);
        if (r.statusCode() == 200) {
            JsonNode partial = Http.JSON.readTree(r.body()).path("partialSuccess");
            assertCounted(OtlpRequests.recordsInJson(body) - partial.path("rejectedLogRecords").asLong(0));
        } else {
            assertThat(status(r)).startsWith("3 ");
            assertCounted(0);
        }
        Statistics.label("answers").coverage(c -> {
            c.check(400).count(n -> n > 0);
            c.check(200).count(n -> n > 0);
        });
    }

    private static HttpResponse<byte[]> post(String contentType, String encoding, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(Http.url(port, "/v1/logs")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits for the analyzer to have counted {@code more} records more than before, and no more than that. */
    private static void assertCounted(long more) throws Exception {
        long expected = ACCEPTED.addAndGet(more);
        // a record taken is delivered within moments; one not taken must not be, so the count is checked after a good one
        byte[] marker = OtlpRequests.request(1).toByteArray();
        assertThat(post(PROTOBUF, null, marker).statusCode()).isEqualTo(200);
        long withMarker = ACCEPTED.incrementAndGet();
        await("the analyzer counts " + withMarker).atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> HTTP.getJson(analyzerPort, "/stats").get("messages").asLong() >= withMarker);
        assertThat(HTTP.getJson(analyzerPort, "/stats").get("messages").asLong())
                .as("every accepted record counted once (%s before the marker), nothing else", expected).isEqualTo(withMarker);
    }

    /** The google.rpc.Status of an error answer as "code message", from protobuf or JSON. */
    private static String status(HttpResponse<byte[]> r) throws Exception {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.equals(PROTOBUF)) {
            UnknownFieldSet status = UnknownFieldSet.parseFrom(r.body());
            return status.getField(1).getVarintList().get(0) + " " + status.getField(2).getLengthDelimitedList().get(0)
                    .toStringUtf8();
        }
        assertThat(type).isEqualTo(JSON);
        JsonNode status = Http.JSON.readTree(r.body());
        return status.get("code").asInt() + " " + status.get("message").asText();
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static AnyValue text(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static ExportLogsServiceRequest deep(int levels) {
        AnyValue value = text("bottom");
        for (int i = 0; i < levels; i++) {
            value = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                    .addValues(KeyValue.newBuilder().setKey("k").setValue(value))).build();
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(
                ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setBody(value)
                        .setTraceId(ByteString.copyFrom(new byte[16]))))).build();
    }
}
