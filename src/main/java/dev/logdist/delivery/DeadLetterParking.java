package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a chunk that ran out of delivery retries as a file under {@code <data-dir>/dead-letter/<analyzer>/},
 * so that nothing accepted is dropped silently; one file per chunk, named after its id.
 */
public final class DeadLetterParking {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterParking.class);

    private final Path root;
    private final AtomicLong sequence = new AtomicLong();

    public DeadLetterParking(Path dataDir) {
        this.root = dataDir.resolve("dead-letter");
    }

    public Path park(String analyzer, Chunk chunk, String reason) throws IOException {
        Path dir = root.resolve(analyzer);
        Files.createDirectories(dir);
        String safeId = chunk.chunkId().replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = dir.resolve(System.currentTimeMillis() + "-" + sequence.incrementAndGet() + "-" + safeId + ".json");
        Files.write(file, chunk.json(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        LOG.error("chunk {} ({} messages) for analyzer {} parked in {} after its retries: {}",
                chunk.chunkId(), chunk.messages(), analyzer, file, reason);
        return file;
    }
}
