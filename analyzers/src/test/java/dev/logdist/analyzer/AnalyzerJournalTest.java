package dev.logdist.analyzer;

import static dev.logdist.analyzer.AnalyzerServerTest.batch;
import static dev.logdist.analyzer.AnalyzerServerTest.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal: what it holds, what a restarted analyzer reads back from it, and that it comes before counting. */
class AnalyzerJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private Vertx vertx;
    private AnalyzerServer server;
    private int port;

    private Path journal() {
        return dir.resolve("packets.journal");
    }

    /** Starts an analyzer on the journal in {@code dir}, stopping the one before. */
    private void start() throws Exception {
        stop();
        vertx = Vertx.vertx();
        server = new AnalyzerServer(vertx, "journaled", 1000);
        server.persistIn(dir);
        port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx = null;
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode stats() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private void assertCounts(long messages, long packets, long duplicates) throws Exception {
        JsonNode s = stats();
        assertThat(s.get("messages").asLong()).as("messages").isEqualTo(messages);
        assertThat(s.get("packets").asLong()).as("packets").isEqualTo(packets);
        assertThat(s.get("duplicatePackets").asLong()).as("duplicatePackets").isEqualTo(duplicates);
    }

    @Test
    void should_journal_agent_and_packet_or_chunk_id_and_read_them_back_after_a_restart() throws Exception {
        start();
        assertThat(post("/logs", packet("a1", "p1", 2)).statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("a2", "p1", 3)).statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet(null, "p1", 4)).statusCode()).isEqualTo(200);
        assertThat(post("/logs", batch(packet("a1", "p2#1", 1), packet("a1", "p2#2", 1))).statusCode()).isEqualTo(200);
        assertThat(post("/logs", packet("a1", "p1", 2)).statusCode()).isEqualTo(200);
        assertThat(Files.readAllLines(journal())).containsExactly("2 a1 p1", "3 a2 p1", "4 p1", "1 a1 p2#1", "1 a1 p2#2");
        assertCounts(11, 5, 1);

        start();
        // the counts are the journal's; duplicates are counted from the start of a process
        assertCounts(11, 5, 0);
        assertThat(post("/logs", packet("a2", "p1", 3)).body()).isEqualTo("{\"packets\":1,\"new\":0}");
        assertThat(post("/logs", packet("a1", "p2#2", 1)).body()).isEqualTo("{\"packets\":1,\"new\":0}");
        assertThat(post("/logs", packet("a3", "p1", 5)).body()).isEqualTo("{\"packets\":1,\"new\":1}");
        assertCounts(16, 6, 2);
        assertThat(Files.readAllLines(journal())).hasSize(6).endsWith("5 a3 p1");
    }

    @Test
    void should_read_journal_lines_without_an_agent_as_keyed_on_the_packet_id_alone() throws Exception {
        Files.writeString(journal(), "5 old-1\n7 old-2\n");
        start();
        assertCounts(12, 2, 0);
        assertThat(post("/logs", packet(null, "old-1", 5)).body()).isEqualTo("{\"packets\":1,\"new\":0}");
        assertThat(post("/logs", packet("agent", "old-1", 5)).body()).isEqualTo("{\"packets\":1,\"new\":1}");
    }

    @Test
    void should_never_read_a_torn_last_line_as_an_id_and_cut_it_off() throws Exception {
        // killed while writing "5 a p3\n": what reached the file reads like a whole line of packet "p"
        Files.writeString(journal(), "3 a p1\n2 p2\n5 a p");
        start();
        assertCounts(5, 2, 0);
        assertThat(Files.readString(journal())).isEqualTo("3 a p1\n2 p2\n");

        assertThat(post("/logs", packet("a", "p", 5)).body()).isEqualTo("{\"packets\":1,\"new\":1}");
        assertThat(post("/logs", packet("a", "p1", 3)).body()).isEqualTo("{\"packets\":1,\"new\":0}");
        assertThat(post("/logs", packet(null, "p2", 2)).body()).isEqualTo("{\"packets\":1,\"new\":0}");
        assertThat(Files.readString(journal())).isEqualTo("3 a p1\n2 p2\n5 a p\n");
        assertCounts(10, 3, 2);
    }

    @Test
    void should_cut_a_journal_that_holds_only_a_torn_line_to_nothing() throws Exception {
        Files.writeString(journal(), "12 agent-with-a-long-name packet-7");
        start();
        assertCounts(0, 0, 0);
        assertThat(Files.size(journal())).isZero();
    }

    @Test
    void should_not_count_whole_lines_that_are_not_journal_lines() throws Exception {
        Files.writeString(journal(), "x a p\n3  p\n3 a b c\n-1 a p\n4 \n\n2 ok\n");
        start();
        assertCounts(2, 1, 0);
    }

    @Test
    void should_empty_the_journal_with_the_counts_on_reset() throws Exception {
        start();
        assertThat(post("/logs", packet("a", "r1", 2)).statusCode()).isEqualTo(200);
        assertThat(post("/admin/reset", "").statusCode()).isEqualTo(200);
        assertThat(Files.size(journal())).isZero();
        assertThat(post("/logs", packet("a", "r2", 1)).statusCode()).isEqualTo(200);
        start();
        assertCounts(1, 1, 0);
        assertThat(Files.readAllLines(journal())).containsExactly("1 a r2");
    }

    @Test
    void should_count_nothing_of_a_request_whose_journal_write_failed() throws Exception {
        PacketLedger ledger = new PacketLedger(100);
        List<PacketScanner.Seen> written = new ArrayList<>();
        ledger.writeTo(new PacketLedger.Sink() {
            private boolean failNext = true;

            @Override
            public void append(List<PacketScanner.Seen> fresh) throws IOException {
                if (failNext) {
                    failNext = false;
                    throw new IOException("disk full");
                }
                written.addAll(fresh);
            }

            @Override
            public void clear() {
                written.clear();
            }
        });
        List<PacketScanner.Seen> request = List.of(new PacketScanner.Seen("a", "1", 2), new PacketScanner.Seen("a", "2", 3),
                new PacketScanner.Seen("a", "1", 2));
        assertThatThrownBy(() -> ledger.record(request)).hasMessage("disk full");
        assertThat(ledger.counts()).isEqualTo(new PacketLedger.Counts(0, 0, 0));
        // the re-sent request is new, not a duplicate of the one that was never journaled
        assertThat(ledger.record(request)).isEqualTo(2);
        assertThat(written).extracting(PacketScanner.Seen::packetId).containsExactly("1", "2");
        assertThat(ledger.counts()).isEqualTo(new PacketLedger.Counts(5, 2, 1));
    }

    @Test
    void should_write_each_line_whole_with_its_newline() throws Exception {
        start();
        assertThat(post("/logs", batch(packet("a", "w1", 1), packet("a", "w2", 2))).statusCode()).isEqualTo(200);
        String text = new String(Files.readAllBytes(journal()), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("1 a w1\n2 a w2\n");
    }
}
