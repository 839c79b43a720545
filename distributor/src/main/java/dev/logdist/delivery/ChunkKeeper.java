package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.io.IOException;

/** Where a chunk that its analyzer cannot take now is kept until it can: the disk spool. */
@FunctionalInterface
public interface ChunkKeeper {

    void keep(int analyzer, Chunk chunk) throws IOException;
}
