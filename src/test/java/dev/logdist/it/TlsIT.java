package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Ingest over TLS with a certificate and key from PEM files: a self-signed pair made here with the JDK's keytool
 * (no openssl needed), written out as PEM, served by a real distributor, trusted by the client.
 */
class TlsIT {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void should_take_packets_over_tls_with_a_pem_certificate_and_speak_no_plain_http() throws Exception {
        Path dir = Files.createTempDirectory("tls");
        KeyStore pair = selfSigned(dir);
        Certificate cert = pair.getCertificate("distributor");
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", pair.getKey("distributor", PASSWORD).getEncoded()));
        HttpClient trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(cert))
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

    /** A 2048-bit RSA key and a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private static KeyStore selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("pair.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "distributor", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("distributor", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
