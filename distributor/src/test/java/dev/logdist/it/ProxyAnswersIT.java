package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real nginx in front of analyzer a1 answering for it: a body limit (413), a login wall (401), a wrong path (404).
 * None of these is a1's verdict on the data: nothing may be parked, and every packet answered 202 must reach a journal.
 */
class ProxyAnswersIT {

    private final Http http = new Http();

    /** The newest process log whose name starts with {@code prefix}. */
    static Path newestLog(String prefix) throws Exception {
        try (java.util.stream.Stream<Path> logs = Files.list(Processes.LOGS)) {
            return logs.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .max(java.util.Comparator.comparing(p -> p.toFile().lastModified())).orElseThrow();
        }
    }

    private Map<String, String> env(Path data, int front, int a2) {
        return Map.of(
                "DISTRIBUTOR_ANALYZERS", "a1@0.4=http://127.0.0.1:" + front + "/logs,a2@0.6=http://127.0.0.1:" + a2 + "/logs",
                "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString(),
                // long enough for batches well over nginx's 64k
                "DISTRIBUTOR_DELIVERY_LINGER_MS", "100",
                "DISTRIBUTOR_DELIVERY_RETRIES", "1",
                "DISTRIBUTOR_RETRY_DELAY_MS", "10",
                "DISTRIBUTOR_BREAKER_OPEN_MS", "1000");
    }

    @Test
    void should_send_smaller_batches_through_a_64k_body_limit_and_deliver_every_packet_at_the_weights() throws Exception {
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory("proxy-413");
            int a1 = Processes.freePort();
            int a2 = Processes.freePort();
            processes.analyzer("a1", a1, data.resolve("a1"));
            processes.analyzer("a2", a2, data.resolve("a2"));
            int front = Processes.freePort();
            try (Nginx nginx = new Nginx(front, Nginx.proxy(front, "client_max_body_size 64k;", "http://127.0.0.1:" + a1))) {
                int port = Processes.freePort();
                processes.distributor("proxy-413", port, env(data, front, a2));
                Accepted accepted = new Accepted(null);
                // up to 100 messages, about 20 KB: every packet passes nginx on its own, a few coalesced do not
                accepted.post(port, "p", 800, 100);

                await("every accepted packet in a journal").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Accepted.journaled(data.resolve("a1"), data.resolve("a2")).containsAll(accepted.ids.keySet()));
                assertThat(nginx.errorLog()).as("nginx refused bodies over 64k").contains("client intended to send too large body");
                JsonNode view = http.getJson(port, "/analyzers").get(0);
                assertThat(view.get("rejected").asLong()).as("rejected").isZero();
                assertThat(view.get("parked").asLong()).as("parked").isZero();
                assertThat(Accepted.parked(data.resolve("distributor/rejected/a1"))).isEmpty();
                double share = (double) Accepted.messages(data.resolve("a1"))
                        / (Accepted.messages(data.resolve("a1")) + Accepted.messages(data.resolve("a2")));
                assertThat(share).as("a1's share of messages").isBetween(0.39, 0.41);
            }
        }
    }

    /** 401: nginx answers every request itself, as a login wall would; 404: it passes them to a path a1 does not have. */
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 404})
    void should_hold_the_chunks_of_an_analyzer_behind_a_misconfigured_proxy_and_deliver_them_once_fixed(int status)
            throws Exception {
        try (Processes processes = new Processes()) {
            Path data = Files.createTempDirectory("proxy-" + status);
            int a1 = Processes.freePort();
            int a2 = Processes.freePort();
            processes.analyzer("a1", a1, data.resolve("a1"));
            processes.analyzer("a2", a2, data.resolve("a2"));
            int front = Processes.freePort();
            String broken = status == 401 ? Nginx.answering(front, 401)
                    : Nginx.proxy(front, "", "http://127.0.0.1:" + a1 + "/v2/"); // /logs becomes /v2/logs
            try (Nginx nginx = new Nginx(front, broken)) {
                int port = Processes.freePort();
                processes.distributor("proxy-" + status, port, env(data, front, a2));
                Accepted accepted = new Accepted(null);
                accepted.post(port, "q", 300, 20);

                await("a1 DOWN, saying why").atMost(Duration.ofSeconds(20)).until(() -> {
                    JsonNode a = http.getJson(port, "/analyzers").get(0);
                    return a.get("state").asText().equals("DOWN")
                            && a.path("lastError").asText().contains("HTTP " + status + " from http://127.0.0.1:" + front);
                });
                await("hold keeps a1's chunks in its spool").atMost(Duration.ofSeconds(20))
                        .until(() -> http.getJson(port, "/analyzers").get(0).get("spooled").asLong() > 0);
                JsonNode down = http.getJson(port, "/analyzers").get(0);
                assertThat(down.get("rejected").asLong()).as("rejected").isZero();
                assertThat(down.get("parked").asLong()).as("parked").isZero();
                assertThat(Accepted.journaled(data.resolve("a1"))).as("a1 took nothing yet").isEmpty();

                nginx.reload(Nginx.proxy(front, "", "http://127.0.0.1:" + a1));
                await("every accepted packet in a journal once the proxy is fixed").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> Accepted.journaled(data.resolve("a1"), data.resolve("a2")).containsAll(accepted.ids.keySet()));
                await("a1 UP, its spool empty").atMost(Duration.ofSeconds(20)).until(() -> {
                    JsonNode a = http.getJson(port, "/analyzers").get(0);
                    return a.get("state").asText().equals("UP") && a.get("spooled").asLong() == 0;
                });
                assertThat(Accepted.parked(data.resolve("distributor/rejected/a1"))).isEmpty();
                long warnings = Files.readAllLines(newestLog("distributor-proxy-" + status + "-")).stream()
                        .filter(l -> l.contains(" WARN ") && l.contains("HTTP " + status + " from")).count();
                long failures = http.getJson(port, "/analyzers").get(0).get("failures").asLong();
                assertThat(warnings).as("WARN lines naming the %d, of %d failures", status, failures)
                        .isPositive().isLessThan(Math.max(2, failures));
                Set<String> missing = accepted.missing(Accepted.journaled(data.resolve("a1"), data.resolve("a2")), Set.of());
                assertThat(missing).isEmpty();
            }
        }
    }
}
