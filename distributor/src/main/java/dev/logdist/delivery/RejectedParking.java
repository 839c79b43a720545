package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a chunk an analyzer refused with a 4xx (other than 429) under {@code <data-dir>/rejected/<analyzer>/}, with
 * the reason beside it: retrying it would fail forever, dropping it would lose it.
 */
public final class RejectedParking {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedParking.class);

    private final Path root;
    private final AtomicLong sequence = new AtomicLong();

    public RejectedParking(Path dataDir) {
        this.root = dataDir.resolve("rejected");
    }

    public Path park(String analyzer, Chunk chunk, int status, String answer) throws IOException {
        Path dir = root.resolve(analyzer);
        Files.createDirectories(dir);
        String base = System.currentTimeMillis() + "-" + sequence.incrementAndGet() + "-"
                + chunk.chunkId().replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = dir.resolve(base + ".json");
        Files.write(file, chunk.json(), StandardOpenOption.CREATE_NEW);
        String reason = "HTTP " + status + "\n" + (answer == null ? "" : answer) + "\n";
        Files.writeString(dir.resolve(base + ".reason"), reason, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        LOG.error("analyzer {} rejected chunk {} ({} messages) with HTTP {}; parked in {}", analyzer, chunk.chunkId(),
                chunk.messages(), status, file);
        return file;
    }
}
