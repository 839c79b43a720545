package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Delivery to an https:// analyzer whose self-signed certificate is trusted through DISTRIBUTOR_TLS_TRUST_FILE. */
class HttpsAnalyzerIT {

    private final Http http = new Http();

    private long counted(int analyzer) throws Exception {
        return http.getJson(analyzer, "/stats").get("messages").asLong();
    }

    @Test
    void should_deliver_to_an_https_analyzer_trusted_by_the_trust_file_and_not_without_it() throws Exception {
        SelfSigned pair = SelfSigned.create(Files.createTempDirectory("https-analyzer"));
        int analyzer = Processes.freePort();
        try (Processes processes = new Processes(); TlsForwarder front = new TlsForwarder(pair.serving(), analyzer)) {
            processes.analyzer("secure", analyzer);
            String analyzers = "secure@1=https://127.0.0.1:" + front.port() + "/logs";
            Random random = new Random(4);

            // the JVM's own CAs do not know a self-signed certificate: every delivery fails, nothing arrives
            int untrusting = Processes.freePort();
            Process first = processes.distributor("untrusting", untrusting, Map.of("DISTRIBUTOR_ANALYZERS", analyzers,
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("untrusting").toString(),
                    "DISTRIBUTOR_DELIVERY_RETRIES", "0"));
            assertThat(http.postJson(untrusting, "/logs", Packets.packet(random, "agent-s", "s-0", 5)).statusCode()).isEqualTo(202);
            await("the delivery fails on the certificate").atMost(Duration.ofSeconds(30))
                    .until(() -> http.getJson(untrusting, "/analyzers").get(0).get("failures").asLong() >= 1);
            assertThat(counted(analyzer)).isZero();
            assertThat(front.handshakes.get()).as("no TLS session was ever established").isZero();
            assertThat(front.failedHandshakes.get()).isPositive();
            Processes.stop(first);

            int trusting = Processes.freePort();
            processes.distributor("trusting", trusting, Map.of("DISTRIBUTOR_ANALYZERS", analyzers,
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("trusting").toString(),
                    "DISTRIBUTOR_TLS_TRUST_FILE", pair.certFile().toString()));
            for (int i = 1; i <= 3; i++) {
                assertThat(http.postJson(trusting, "/logs", Packets.packet(random, "agent-s", "s-" + i, 4)).statusCode()).isEqualTo(202);
            }
            await("three packets over https counted").atMost(Duration.ofSeconds(30)).until(() -> counted(analyzer) == 12);
            assertThat(http.getJson(trusting, "/analyzers").get(0).get("failures").asLong()).isZero();
            assertThat(front.handshakes.get()).isPositive();
        }
    }
}
