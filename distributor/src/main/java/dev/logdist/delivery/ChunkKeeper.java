package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.io.IOException;

/** What the buffer behind the memory queues does with a chunk that its analyzer could not take. */
public interface ChunkKeeper {

    /** Keeps the chunk for its analyzer until the analyzer can take it (on disk), or throws. */
    void keep(int analyzer, Chunk chunk) throws IOException;

    /** Hands the chunk to analyzer {@code to} instead of {@code from}; false, nothing changed, when it cannot. */
    boolean move(int from, int to, Chunk chunk);
}
