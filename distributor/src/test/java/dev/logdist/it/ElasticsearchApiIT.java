package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Elasticsearch API over real HTTP against a running {@code bin/distributor}: the read calls shippers make before
 * they send, and a full journal answered 429 with Retry-After, item by item, with nothing of a 429'd request delivered.
 */
class ElasticsearchApiIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Http http = new Http();

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(Http.url(port, path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-ndjson")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_answer_the_read_calls_shippers_make_as_an_8x_node() throws Exception {
        try (Processes processes = new Processes()) {
            int analyzer = Processes.freePort();
            processes.analyzer("es-reads", analyzer);
            int port = Processes.freePort();
            processes.distributor("es-reads", port, Map.of("DISTRIBUTOR_ANALYZERS",
                    "only@1=http://127.0.0.1:" + analyzer + "/logs",
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("es-reads").toString()));

            HttpResponse<String> version = call(port, "GET", "/es", null);
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(version.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
            JsonNode v = Http.JSON.readTree(version.body());
            assertThat(v.get("version").get("number").asText()).startsWith("8.");
            assertThat(v.get("version").get("build_flavor").asText()).isEqualTo("default");
            assertThat(v.get("tagline").asText()).isEqualTo("You Know, for Search");
            assertThat(call(port, "HEAD", "/es", null).statusCode()).isEqualTo(200);
            assertThat(call(port, "GET", "/es/", null).statusCode()).isEqualTo(200);
            for (String path : new String[] {"/es/_license", "/_license", "/es/_xpack", "/es/_cluster/health",
                "/_cluster/health", "/es/_nodes", "/es/_nodes/_all/version", "/es/_index_template/filebeat-8",
                "/es/_template/logstash", "/_ilm/policy/filebeat"}) {
                HttpResponse<String> r = call(port, "GET", path, null);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Elastic-Product")).as(path).hasValue("Elasticsearch");
                assertThat(Http.JSON.readTree(r.body()).isObject()).as(path).isTrue();
            }
            HttpResponse<String> put = call(port, "PUT", "/es/_index_template/filebeat-8", "{\"index_patterns\":[\"x\"]}");
            assertThat(Http.JSON.readTree(put.body()).get("acknowledged").asBoolean()).isTrue();
            // the root stays the live page: the version is served under /es only
            assertThat(call(port, "GET", "/", null).headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/html"));
            assertThat(call(port, "GET", "/_bulk", null).statusCode()).isEqualTo(405);
        }
    }

    @Test
    void should_answer_429_per_item_once_the_journal_is_full_and_deliver_exactly_the_201s() throws Exception {
        try (Processes processes = new Processes()) {
            int down = Processes.freePort();
            Path data = Files.createTempDirectory("es-full");
            int port = Processes.freePort();
            processes.distributor("es-full", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "only@1=http://127.0.0.1:" + down + "/logs",
                    "DISTRIBUTOR_DATA_DIR", data.toString(),
                    "DISTRIBUTOR_SPOOL_MAX_BYTES", "1048576",
                    "DISTRIBUTOR_DELIVERY_RETRIES", "0"));
            String body = bulk(100);
            long created = 0;
            HttpResponse<String> refusal = null;
            for (int i = 0; i < 400 && refusal == null; i++) {
                HttpResponse<String> r = call(port, "POST", "/es/_bulk", body);
                if (r.statusCode() == 200) {
                    JsonNode answer = Http.JSON.readTree(r.body());
                    assertThat(answer.get("errors").asBoolean()).as(r.body()).isFalse();
                    created += answer.get("items").size();
                } else {
                    refusal = r;
                }
                if (i % 20 == 19) {
                    long chunks = created / 100;
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> http.getJson(port, "/analyzers").get(0).get("spooled").asLong() == chunks);
                }
            }
            assertThat(refusal).as("a 429 before 400 requests of 100 documents filled a 1 MiB journal").isNotNull();
            assertThat(refusal.statusCode()).as(refusal.body()).isEqualTo(429);
            assertThat(refusal.headers().firstValue("Retry-After")).isPresent();
            JsonNode rejected = Http.JSON.readTree(refusal.body());
            assertThat(rejected.get("status").asInt()).isEqualTo(429);
            assertThat(rejected.get("error").get("type").asText()).isEqualTo("es_rejected_execution_exception");
            assertThat(rejected.get("items")).hasSize(100).allSatisfy(item -> {
                JsonNode result = item.get("index");
                assertThat(result.get("status").asInt()).isEqualTo(429);
                assertThat(result.get("error").get("type").asText()).isEqualTo("es_rejected_execution_exception");
            });

            processes.analyzer("only", down);
            long expected = created;
            await("every document answered 201 delivered, none of the 429'd").atMost(Duration.ofSeconds(60))
                    .until(() -> http.getJson(down, "/stats").get("messages").asLong() >= expected);
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> http.getJson(port, "/analyzers").get(0).get("spooled").asLong() == 0);
            assertThat(http.getJson(down, "/stats").get("messages").asLong()).isEqualTo(expected);
        }
    }

    /** A bulk body of {@code n} index actions, each with a 200-character message. */
    static String bulk(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"index\":{\"_index\":\"bench\"}}\n{\"@timestamp\":\"2026-11-25T10:00:00.123Z\",\"message\":\"")
                    .append("m".repeat(200)).append("\",\"log.level\":\"info\",\"host.name\":\"web-1\"}\n");
        }
        return b.toString();
    }
}
