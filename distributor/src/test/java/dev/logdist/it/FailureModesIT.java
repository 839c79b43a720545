package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Analyzers that fail, stall or refuse, a distributor restarted with a spool, and a spool that fills up. */
class FailureModesIT {

    private final Http http = new Http();

    private void mode(int analyzerPort, String json) throws Exception {
        assertThat(http.postJson(analyzerPort, "/admin/fail", json.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    private long counted(int analyzerPort) throws Exception {
        return http.getJson(analyzerPort, "/stats").get("messages").asLong();
    }

    @Test
    void should_open_breakers_on_500s_and_timeouts_park_refusals_and_catch_up_after() throws Exception {
        try (Processes processes = new Processes()) {
            int failing = Processes.freePort();
            int stalling = Processes.freePort();
            int refusing = Processes.freePort();
            processes.analyzer("failing", failing);
            processes.analyzer("stalling", stalling);
            processes.analyzer("refusing", refusing);
            Path data = Files.createTempDirectory("failure-modes");
            int port = Processes.freePort();
            processes.distributor("modes", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "failing@1=http://127.0.0.1:" + failing + "/logs,stalling@1=http://127.0.0.1:"
                            + stalling + "/logs,refusing@1=http://127.0.0.1:" + refusing + "/logs",
                    "DISTRIBUTOR_DATA_DIR", data.toString(),
                    "DISTRIBUTOR_DELIVERY_TIMEOUT_MS", "500",
                    "DISTRIBUTOR_DELIVERY_RETRIES", "1",
                    "DISTRIBUTOR_RETRY_DELAY_MS", "10",
                    "DISTRIBUTOR_BREAKER_OPEN_MS", "1000"));
            mode(failing, "{\"mode\":\"error\"}");
            mode(stalling, "{\"mode\":\"slow\",\"ms\":3000}");
            mode(refusing, "{\"mode\":\"reject\"}");

            Random random = new Random(11);
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = http.postJson(port, "/logs", Packets.packet(random, "agent-m", "m-" + i, 10));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
            await("failing and stalling analyzers seen DOWN").atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode view = http.getJson(port, "/analyzers");
                return view.get(0).get("state").asText().equals("DOWN") || view.get(0).get("state").asText().equals("RECOVERING")
                        ? view.get(1).get("failures").asLong() >= 5 : false;
            });
            await("refused chunks parked under rejected/").atMost(Duration.ofSeconds(30))
                    .until(() -> http.getJson(port, "/analyzers").get(2).get("rejected").asLong() == 10);
            JsonNode refusingView = http.getJson(port, "/analyzers").get(2);
            assertThat(refusingView.get("state").asText()).as("a refusal is no outage").isEqualTo("UP");
            assertThat(OutageIT.filesIn(data.resolve("rejected/refusing"), ".json")).isEqualTo(10);
            assertThat(OutageIT.filesIn(data.resolve("rejected/refusing"), ".reason")).isEqualTo(10);
            assertThat(Files.readString(Files.list(data.resolve("rejected/refusing"))
                    .filter(p -> p.toString().endsWith(".reason")).findFirst().orElseThrow())).startsWith("HTTP 400");

            mode(failing, "{\"mode\":\"ok\"}");
            mode(stalling, "{\"mode\":\"ok\"}");
            await("spooled chunks replayed once the analyzers are back").atMost(Duration.ofSeconds(60))
                    .until(() -> counted(failing) == 100 && counted(stalling) >= 100);
            assertThat(counted(stalling)).isEqualTo(100);
            await().atMost(Duration.ofSeconds(30)).until(() -> http.getJson(port, "/analyzers").get(0).get("state").asText().equals("UP")
                    && http.getJson(port, "/analyzers").get(1).get("spooled").asLong() == 0);
        }
    }

    @Test
    void should_deliver_a_spool_left_by_a_distributor_stopped_while_its_analyzer_was_down() throws Exception {
        try (Processes processes = new Processes()) {
            int up = Processes.freePort();
            int down = Processes.freePort();
            processes.analyzer("up", up);
            Path data = Files.createTempDirectory("restart");
            Map<String, String> env = Map.of(
                    "DISTRIBUTOR_ANALYZERS", "up@1=http://127.0.0.1:" + up + "/logs,down@1=http://127.0.0.1:" + down + "/logs",
                    "DISTRIBUTOR_DATA_DIR", data.toString(),
                    "DISTRIBUTOR_DELIVERY_RETRIES", "1",
                    "DISTRIBUTOR_RETRY_DELAY_MS", "10");
            int port = Processes.freePort();
            Process first = processes.distributor("before-restart", port, env);
            Random random = new Random(3);
            for (int i = 0; i < 40; i++) {
                assertThat(http.postJson(port, "/logs", Packets.packet(random, "agent-s", "s-" + i, 5)).statusCode()).isEqualTo(202);
            }
            await("half the chunks spooled for the analyzer that is down").atMost(Duration.ofSeconds(30))
                    .until(() -> http.getJson(port, "/analyzers").get(1).get("spooled").asLong() == 20);
            Processes.stop(first);

            processes.analyzer("down", down);
            int port2 = Processes.freePort();
            processes.distributor("after-restart", port2, env);
            await("the old spool delivered by the new process").atMost(Duration.ofSeconds(60))
                    .until(() -> counted(down) == 100);
            assertThat(counted(up)).isEqualTo(100);
            assertThat(http.getJson(port2, "/analyzers").get(1).get("spooled").asLong()).isZero();
        }
    }

    @Test
    void should_answer_503_with_retry_after_once_the_spool_is_full_and_deliver_what_it_took() throws Exception {
        try (Processes processes = new Processes()) {
            int down = Processes.freePort();
            Path data = Files.createTempDirectory("full-spool");
            int port = Processes.freePort();
            processes.distributor("full", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "only@1=http://127.0.0.1:" + down + "/logs",
                    "DISTRIBUTOR_DATA_DIR", data.toString(),
                    "DISTRIBUTOR_SPOOL_MAX_BYTES", "1048576",
                    "DISTRIBUTOR_DELIVERY_RETRIES", "0"));
            Random random = new Random(5);
            long accepted = 0;
            HttpResponse<String> refusal = null;
            for (int i = 0; i < 400 && refusal == null; i++) {
                HttpResponse<String> r = http.postJson(port, "/logs", Packets.packet(random, "agent-f", "f-" + i, 100));
                if (r.statusCode() == 202) {
                    accepted += 100;
                } else {
                    refusal = r;
                }
                if (i % 20 == 19) {
                    long expected = accepted / 100;
                    await().atMost(Duration.ofSeconds(30)).until(() -> http.getJson(port, "/analyzers").get(0).get("spooled").asLong() == expected);
                }
            }
            assertThat(refusal).as("a 503 before 400 packets of 20 KB filled a 1 MiB spool").isNotNull();
            assertThat(refusal.statusCode()).isEqualTo(503);
            assertThat(refusal.headers().firstValue("Retry-After")).isPresent();
            assertThat(Http.JSON.readTree(refusal.body()).get("error").asText()).isNotBlank();

            processes.analyzer("only", down);
            long expected = accepted;
            await("everything accepted before the 503 delivered").atMost(Duration.ofSeconds(60)).until(() -> counted(down) == expected);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"hold", "failover"})
    void should_spool_or_answer_503_never_500_when_a_queue_stays_full_and_deliver_every_packet_it_took(String policy)
            throws Exception {
        try (Processes processes = new Processes()) {
            int slow = Processes.freePort();
            processes.analyzer("slow", slow);
            mode(slow, "{\"mode\":\"slow\",\"ms\":300}");
            int port = Processes.freePort();
            processes.distributor("tiny-queue", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "slow@1=http://127.0.0.1:" + slow + "/logs",
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("tiny-queue").toString(),
                    "DISTRIBUTOR_OUTAGE_POLICY", policy,
                    "DISTRIBUTOR_QUEUE_SIZE", "1",
                    "DISTRIBUTOR_CONSUMERS_PER_ANALYZER", "1",
                    "DISTRIBUTOR_OFFER_TIMEOUT_MS", "100"));
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                answers.add(pool.submit(() -> http.postJson(port, "/logs",
                        Packets.packet(new Random(n), "agent-q", "q-" + n, 2)).statusCode()));
            }
            long accepted = 0;
            long unavailable = 0;
            for (java.util.concurrent.Future<Integer> a : answers) {
                int status = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(status).isIn(202, 503);
                accepted += status == 202 ? 1 : 0;
                unavailable += status == 503 ? 1 : 0;
            }
            pool.shutdown();
            if (policy.equals("hold")) {
                assertThat(unavailable).as("hold spills what the queue cannot take to the spool").isZero();
            } else {
                assertThat(unavailable).as("a queue of one behind a 300 ms analyzer turns some of 16 packets away").isPositive();
            }
            long expected = accepted * 2;
            await().atMost(Duration.ofSeconds(60)).until(() -> counted(slow) == expected);
        }
    }
}
