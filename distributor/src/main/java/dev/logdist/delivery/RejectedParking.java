package dev.logdist.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logdist.model.Chunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a chunk an analyzer refused on its own under {@code <data-dir>/rejected/<analyzer>/}: its JSON, and beside it
 * a {@code .reason} file with the status, the chunk's id and message count, and the analyzer's answer. Retrying it
 * would fail until the cause is fixed, dropping it would lose it; once fixed, {@link #parked} hands the chunks back
 * for a redrive.
 */
public final class RejectedParking {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedParking.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How old a count of parked files may be before the directory is listed again. */
    private static final long COUNT_TTL_NANOS = 1_000_000_000L;

    /** A parked chunk, as read back from its files. */
    public record Parked(Chunk chunk, Path json, Path reason) {
    }

    private final Path root;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, long[]> counts = new ConcurrentHashMap<>(); // analyzer -> {count, nanoTime counted}

    public RejectedParking(Path dataDir) {
        this.root = dataDir.resolve("rejected");
    }

    public Path park(String analyzer, Chunk chunk, int status, String answer) throws IOException {
        Path dir = root.resolve(analyzer);
        Files.createDirectories(dir);
        String base = System.currentTimeMillis() + "-" + sequence.incrementAndGet() + "-"
                + chunk.chunkId().replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = dir.resolve(base + ".json");
        String reason = "HTTP " + status + "\nchunk " + chunk.chunkId().replaceAll("\\s", "_") + " messages "
                + chunk.messages() + "\n" + (answer == null ? "" : answer) + "\n";
        // the reason first: a chunk file listed for a redrive always has its reason beside it
        Files.writeString(dir.resolve(base + ".reason"), reason, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        Files.write(file, chunk.json(), StandardOpenOption.CREATE_NEW);
        counts.remove(analyzer);
        LOG.error("analyzer {} rejected chunk {} ({} messages) with HTTP {}; parked in {}", analyzer, chunk.chunkId(),
                chunk.messages(), status, file);
        return file;
    }

    /** How many chunks are parked for the analyzer: files on disk, counted at most once a second. */
    public long count(String analyzer) {
        long now = System.nanoTime();
        long[] counted = counts.get(analyzer);
        if (counted != null && now - counted[1] < COUNT_TTL_NANOS) {
            return counted[0];
        }
        long n;
        try (Stream<Path> files = Files.list(root.resolve(analyzer))) {
            n = files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        } catch (NoSuchFileException e) {
            n = 0;
        } catch (IOException e) {
            LOG.warn("cannot count the chunks parked for {}: {}", analyzer, e.toString());
            return counted == null ? 0 : counted[0];
        }
        counts.put(analyzer, new long[] {n, now});
        return n;
    }

    /** The chunks parked for the analyzer, oldest first, as they were refused. */
    public List<Parked> parked(String analyzer) throws IOException {
        Path dir = root.resolve(analyzer);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted(RejectedParking::oldestFirst).toList();
        }
        List<Parked> out = new ArrayList<>(files.size());
        for (Path json : files) {
            String name = json.getFileName().toString();
            Path reason = dir.resolve(name.substring(0, name.length() - ".json".length()) + ".reason");
            out.add(new Parked(read(json, reason), json, reason));
        }
        return out;
    }

    /** Forgets a parked chunk once it is kept again for delivery. */
    public void remove(String analyzer, Parked parked) throws IOException {
        Files.deleteIfExists(parked.reason());
        Files.delete(parked.json());
        counts.remove(analyzer);
    }

    /**
     * The chunk of a parked file: its id and message count from the reason file; for a file parked before they were
     * written there, from the chunk's own {@code packetId} and {@code messages}.
     */
    private static Chunk read(Path json, Path reason) throws IOException {
        byte[] body = Files.readAllBytes(json);
        if (Files.exists(reason)) {
            String[] lines = Files.readString(reason, StandardCharsets.UTF_8).split("\n", 3);
            if (lines.length > 1 && lines[1].startsWith("chunk ")) {
                String[] fields = lines[1].split(" ");
                if (fields.length == 4 && fields[2].equals("messages")) {
                    return new Chunk(fields[1], Integer.parseInt(fields[3]), body);
                }
            }
        }
        JsonNode packet = JSON.readTree(body);
        String name = json.getFileName().toString();
        String id = packet.path("packetId").isTextual() ? packet.get("packetId").asText() : name;
        return new Chunk(id, packet.path("messages").size(), body);
    }

    /** By the millisecond and sequence the file names start with. */
    private static int oldestFirst(Path a, Path b) {
        String[] x = a.getFileName().toString().split("-", 3);
        String[] y = b.getFileName().toString().split("-", 3);
        try {
            int byTime = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
            return byTime != 0 ? byTime : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
        } catch (RuntimeException e) {
            return a.compareTo(b);
        }
    }
}
