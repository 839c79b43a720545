package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logdist.it.HostileRequests.Hostile;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing over real HTTP: 300 tries of 4 hostile requests each (1,200 in all: packets, JSON lines and arrays of
 * records) against a running
 * {@code bin/distributor}, over keep-alive HTTP/1.1 connections. No answer may be a 5xx, every 4xx is JSON with an
 * {@code error}, and after each batch a good packet is accepted and counted by a real {@code bin/analyzer}, which has
 * counted exactly the messages answered accepted: a request taken in part delivers its accepted messages, no more.
 */
class HostileInputIT {

    static final int TRIES = 300;
    static final int PER_TRY = 4;
    static final int BULK_TRIES = 100;

    private static Processes processes;
    private static int port;
    private static int analyzerPort;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Http HTTP = new Http();
    /** Messages of distinct packets acknowledged with 202, hostile bodies that happened to be valid included. */
    private static final AtomicLong ACKNOWLEDGED = new AtomicLong();
    private static final AtomicInteger GOOD = new AtomicInteger();
    private static final java.util.Set<String> PACKET_IDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeContainer
    static void start() throws Exception {
        processes = new Processes();
        analyzerPort = Processes.freePort();
        processes.analyzer("fuzz", analyzerPort);
        port = Processes.freePort();
        Map<String, String> env = new HashMap<>(HostileRequests.LIMITS);
        env.put("DISTRIBUTOR_ANALYZERS", "fuzz@1=http://127.0.0.1:" + analyzerPort + "/logs");
        env.put("DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("hostile").toString());
        processes.distributor("hostile", port, env);
    }

    @AfterContainer
    static void stop() throws Exception {
        processes.close();
    }

    @Provide
    Arbitrary<List<Hostile>> batches() {
        return HostileRequests.any().list().ofSize(PER_TRY);
    }

    @Property(tries = TRIES)
    void should_answer_hostile_requests_with_a_json_4xx_and_still_deliver_the_next_good_packet(
            @ForAll("batches") List<Hostile> batch) throws Exception {
        for (Hostile hostile : batch) {
            HttpResponse<String> r = send(hostile);
            assertThat(r.statusCode()).as("status for %s: %s", hostile, r.body()).isLessThan(500);
            Statistics.label("answers").collect(r.statusCode());
            if (r.statusCode() == 202) {
                JsonNode ack = Http.JSON.readTree(r.body());
                // a packetId acknowledged before (say "\ud800" generated twice) is acknowledged again, not delivered again
                if (PACKET_IDS.add(ack.get("packetId").asText())) {
                    ACKNOWLEDGED.addAndGet(ack.get("accepted").asLong());
                }
            } else {
                assertJsonError(hostile, r);
            }
        }
        // the generators must reach every kind of answer, or the suite would pass without testing much
        Statistics.label("answers").coverage(c -> {
            c.check(400).count(n -> n >= TRIES);
            c.check(413).count(n -> n > 0);
            c.check(415).count(n -> n > 0);
            c.check(202).count(n -> n > 0);
        });
        int n = GOOD.incrementAndGet();
        byte[] good = Packets.packet(new Random(n), "agent-good", "good-" + n, 1 + n % 4);
        HttpResponse<String> accepted = send(new Hostile("good", HostileRequests.JSON, n % 2 == 0 ? null : "gzip",
                n % 2 == 0 ? good : HostileRequests.gzip(good)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        long expected = ACKNOWLEDGED.addAndGet(1 + n % 4);
        await("the good packet after the hostile ones counted by the analyzer").atMost(Duration.ofSeconds(15))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> HTTP.getJson(analyzerPort, "/stats").get("messages").asLong() >= expected);
        assertThat(HTTP.getJson(analyzerPort, "/stats").get("messages").asLong())
                .as("every acknowledged message counted once, nothing else").isEqualTo(expected);
    }

    /**
     * The same for the Elasticsearch bulk endpoint: never a 5xx; a 200 answers each item, and exactly the items
     * answered 201 are counted by the analyzer; anything else is Elasticsearch's error body.
     */
    @Property(tries = BULK_TRIES)
    void should_answer_hostile_bulk_requests_per_item_and_deliver_exactly_the_201s(
            @ForAll("bulkBatches") List<Hostile> batch) throws Exception {
        for (Hostile hostile : batch) {
            HttpResponse<String> r = send(hostile, "/es/_bulk");
            assertThat(r.statusCode()).as("status for %s: %s", hostile, r.body()).isLessThan(500);
            Statistics.label("bulk answers").collect(r.statusCode());
            JsonNode body = Http.JSON.readTree(r.body());
            if (r.statusCode() == 200) {
                long created = 0;
                for (JsonNode item : body.get("items")) {
                    JsonNode result = item.elements().next();
                    int status = result.get("status").asInt();
                    assertThat(status).as("item of %s: %s", hostile, r.body()).isIn(201, 400);
                    if (status == 201) {
                        created++;
                    } else {
                        assertThat(result.path("error").path("reason").asText()).as("reason in %s", r.body()).isNotBlank();
                    }
                }
                ACKNOWLEDGED.addAndGet(created);
            } else {
                assertThat(r.statusCode()).as("status for %s: %s", hostile, r.body()).isBetween(400, 499);
                if (r.statusCode() == 413) {
                    // the server's body limit answers before any route reads the body, in the native shape
                    assertThat(body.path("error").asText()).as("error for %s: %s", hostile, r.body()).isNotBlank();
                } else {
                    assertThat(body.path("status").asInt()).isEqualTo(r.statusCode());
                    assertThat(body.path("error").path("type").asText()).as("error for %s: %s", hostile, r.body())
                            .isNotBlank();
                }
                assertThat(r.body()).as("for %s", hostile).doesNotContain("\tat ");
            }
        }
        Statistics.label("bulk answers").coverage(c -> {
            c.check(200).count(n -> n > 0);
            c.check(400).count(n -> n > 0);
            c.check(413).count(n -> n > 0);
        });
        long expected = ACKNOWLEDGED.get();
        await("the 201s of the hostile bulks counted by the analyzer").atMost(Duration.ofSeconds(15))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> HTTP.getJson(analyzerPort, "/stats").get("messages").asLong() >= expected);
        assertThat(HTTP.getJson(analyzerPort, "/stats").get("messages").asLong())
                .as("exactly the items answered 201, once").isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<Hostile>> bulkBatches() {
        return HostileBulks.any().list().ofSize(PER_TRY);
    }

    private static HttpResponse<String> send(Hostile hostile) throws Exception {
        return send(hostile, hostile.query() == null ? "/logs" : "/logs?" + hostile.query());
    }

    private static HttpResponse<String> send(Hostile hostile, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(Http.url(port, path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(hostile.body()));
        if (hostile.contentType() != null) {
            request.header("Content-Type", hostile.contentType());
        }
        if (hostile.agent() != null) {
            request.header("X-Agent-Id", hostile.agent());
        }
        if (hostile.contentEncoding() != null) {
            request.header("Content-Encoding", hostile.contentEncoding());
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 4xx whose body is a JSON object with an error, a 400 also naming the offending fields; never a stack trace. */
    private static void assertJsonError(Hostile hostile, HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as("status for %s: %s", hostile, r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type")).as("content type for %s", hostile)
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = Http.JSON.readTree(r.body());
        assertThat(body.path("error").asText()).as("error for %s: %s", hostile, r.body()).isNotBlank();
        assertThat(r.body()).as("for %s", hostile).doesNotContain("Exception", "\tat ");
        if (r.statusCode() == 400) {
            assertThat(body.path("violations")).as("violations for %s: %s", hostile, r.body()).isNotEmpty()
                    .allSatisfy(v -> assertThat(v.path("path").asText()).isNotBlank());
        }
    }
}
