package dev.logdist.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the end-to-end tests; loopback only. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(int port, String path, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(url(port, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    JsonNode getJson(int port, String path) throws IOException, InterruptedException {
        return JSON.readTree(send(HttpRequest.newBuilder(url(port, path))).body());
    }

    static URI url(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
