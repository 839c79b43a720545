package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** With DISTRIBUTOR_TOKEN set, ingest and weight changes need the bearer token; reads too with protect-reads. */
class TokenIT {

    private final Http http = new Http();

    /** One analyzer and a distributor with DISTRIBUTOR_TOKEN=s3cret-token (plus {@code more}); its port. */
    private static int withToken(Processes processes, String name, String analyzerName, Map<String, String> more)
            throws Exception {
        int analyzer = Processes.freePort();
        processes.analyzer(analyzerName, analyzer);
        int port = Processes.freePort();
        Map<String, String> env = new java.util.HashMap<>(more);
        env.put("DISTRIBUTOR_TOKEN", "s3cret-token");
        env.put("DISTRIBUTOR_ANALYZERS", analyzerName + "@1=http://127.0.0.1:" + analyzer + "/logs");
        env.put("DISTRIBUTOR_DATA_DIR", Files.createTempDirectory(name).toString());
        processes.distributor(name, port, env);
        return port;
    }

    @Test
    void should_answer_401_without_the_right_token_and_202_with_it() throws Exception {
        try (Processes processes = new Processes()) {
            int port = withToken(processes, "token", "t", Map.of());
            byte[] packet = Packets.packet(new Random(1), "agent-t", null, 3);
            HttpResponse<String> none = http.postJson(port, "/logs", packet);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(Http.JSON.readTree(none.body()).get("error").asText()).contains("Authorization");
            assertThat(post(port, packet, "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(post(port, packet, "Bearer s3cret-token").statusCode()).isEqualTo(202);
            // a client that waits for 100 Continue is answered 401 at once, its body never asked for
            RawHttp.Answer expecting = RawHttp.exchange(port, "POST /logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + packet.length + "\r\nExpect: 100-continue", new byte[0]);
            assertThat(expecting.status()).isEqualTo(401);
            RawHttp.Answer continued = RawHttp.exchange(port, "POST /logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + packet.length + "\r\nExpect: 100-continue\r\nAuthorization: Bearer s3cret-token",
                    new byte[0]);
            assertThat(continued.status()).as("with the token: told to go on").isEqualTo(100);

            HttpRequest.Builder put = HttpRequest.newBuilder(Http.url(port, "/analyzers/t/weight"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": 2}"));
            assertThat(http.send(put).statusCode()).isEqualTo(401);
            assertThat(http.send(put.header("Authorization", "Bearer s3cret-token")).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(Http.url(port, "/analyzers"))).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void should_ask_for_the_token_on_every_read_but_health_when_reads_are_protected() throws Exception {
        try (Processes processes = new Processes()) {
            int port = withToken(processes, "protected-reads", "r", Map.of("DISTRIBUTOR_AUTH_PROTECT_READS", "true"));
            for (String path : new String[] {"/analyzers", "/metrics", "/", "/analyzers/"}) {
                HttpResponse<String> none = http.send(HttpRequest.newBuilder(Http.url(port, path)));
                assertThat(none.statusCode()).as("GET %s without a token", path).isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(Http.JSON.readTree(none.body()).get("error").asText()).contains("Authorization");
                assertThat(get(port, path, "Bearer wrong").statusCode()).as("GET %s, wrong token", path).isEqualTo(401);
            }
            assertThat(get(port, "/analyzers", "Bearer s3cret-token").body()).contains("\"name\":\"r\"");
            assertThat(get(port, "/metrics", "Bearer s3cret-token").body()).contains("logdist_delivered_messages_total");
            assertThat(get(port, "/", "Bearer s3cret-token").statusCode()).isEqualTo(200);
            // a path that only looks like /health on its way in is still a protected read
            assertThat(RawHttp.exchange(port, "GET /health/../analyzers HTTP/1.1\r\nHost: x", new byte[0]).status()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(Http.url(port, "/health"))).statusCode()).isEqualTo(200);

            byte[] packet = Packets.packet(new Random(2), "agent-r", null, 2);
            assertThat(http.postJson(port, "/logs", packet).statusCode()).isEqualTo(401);
            assertThat(post(port, packet, "Bearer s3cret-token").statusCode()).isEqualTo(202);
        }
    }

    private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(Http.url(port, path)).header("Authorization", authorization));
    }

    private HttpResponse<String> post(int port, byte[] body, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(Http.url(port, "/logs")).header("Content-Type", "application/json")
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }
}
