package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Ingest over TLS with a certificate and key from PEM files: a self-signed pair made here with the JDK's keytool
 * (no openssl needed), written out as PEM, served by a real distributor, trusted by the client.
 */
class TlsIT {

    @Test
    void should_take_packets_over_tls_with_a_pem_certificate_and_speak_no_plain_http() throws Exception {
        SelfSigned pair = SelfSigned.create(Files.createTempDirectory("tls"));
        Path certFile = pair.certFile();
        Path keyFile = pair.keyFile();
        HttpClient trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pair.trusting())
                .connectTimeout(Duration.ofSeconds(5)).build();

        try (Processes processes = new Processes()) {
            int analyzer = Processes.freePort();
            processes.analyzer("tls", analyzer);
            int port = Processes.freePort();
            URI health = URI.create("https://127.0.0.1:" + port + "/health");
            processes.distributor("tls", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "tls@1=http://127.0.0.1:" + analyzer + "/logs",
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("tls-data").toString(),
                    "DISTRIBUTOR_TLS_CERT_FILE", certFile.toString(),
                    "DISTRIBUTOR_TLS_KEY_FILE", keyFile.toString()),
                    () -> trusting.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200);

            byte[] packet = Packets.packet(new Random(3), "agent-tls", "tls-1", 5);
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/logs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(packet)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            Http http = new Http();
            await("the packet sent over TLS counted").atMost(Duration.ofSeconds(15))
                    .until(() -> http.getJson(analyzer, "/stats").get("messages").asLong() == 5);

            assertThatThrownBy(() -> http.postJson(port, "/logs", packet)).as("plain HTTP on the TLS port")
                    .isInstanceOf(IOException.class);
            HttpClient distrustful = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> distrustful.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()))
                    .as("a client that does not trust the certificate").isInstanceOf(SSLHandshakeException.class);
        }
    }
}
