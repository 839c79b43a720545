package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Packets posted by a few agents at once (so that deliveries coalesce), and what became of each by its id: in which
 * analyzer's journal, or among the chunk files parked under {@code rejected/}.
 */
final class Accepted {

    /** packetId to its message count, for every packet answered 202. */
    final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Http http = new Http();
    private final String token;

    Accepted(String token) {
        this.token = token;
    }

    /** Posts {@code count} packets of 1..{@code maxMessages} messages from 4 agents; every answer must be 202. */
    void post(int port, String prefix, int count, int maxMessages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> agents = new ArrayList<>();
            for (int a = 0; a < 4; a++) {
                int agent = a;
                agents.add(pool.submit(() -> {
                    Random random = new Random(prefix.hashCode() * 31L + agent);
                    for (int i = agent; i < count; i += 4) {
                        post(port, "agent-" + agent, prefix + "-" + i, 1 + random.nextInt(maxMessages), random);
                    }
                    return null;
                }));
            }
            for (Future<?> f : agents) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Posts one packet; it must be answered 202. */
    void post(int port, String agent, String packetId, int messages, Random random) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/logs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Packets.packet(random, agent, packetId, messages)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(request);
        assertThat(r.statusCode()).as("POST /logs of %s: %s", packetId, r.body()).isEqualTo(202);
        ids.put(packetId, messages);
    }

    /** The packet ids in the journals of these analyzer data dirs. */
    static Set<String> journaled(Path... analyzerDirs) throws Exception {
        Set<String> seen = new HashSet<>();
        for (Path dir : analyzerDirs) {
            AnalyzerJournals.read(dir).forEach(e -> seen.add(e.packetId()));
        }
        return seen;
    }

    /** Messages journaled by one analyzer. */
    static long messages(Path analyzerDir) throws Exception {
        return AnalyzerJournals.read(analyzerDir).stream().mapToLong(AnalyzerJournals.Entry::messages).sum();
    }

    /** The packet ids of the chunk files parked under {@code dir} ({@code <data-dir>/rejected/<analyzer>}). */
    static Set<String> parked(Path dir) throws Exception {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode chunk = Http.JSON.readTree(f.toFile());
                String id = chunk.get("packetId").asText();
                ids.add(id.contains("#") ? id.substring(0, id.lastIndexOf('#')) : id);
            }
        }
        return ids;
    }

    /** The accepted ids found in neither the journals nor {@code parked}. */
    Set<String> missing(Set<String> journaled, Set<String> parked) {
        Set<String> missing = new HashSet<>(ids.keySet());
        missing.removeAll(journaled);
        missing.removeAll(parked);
        return missing;
    }
}
