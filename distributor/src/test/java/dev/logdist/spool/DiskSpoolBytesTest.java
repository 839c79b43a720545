package dev.logdist.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.model.Chunk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay batch is capped in bytes as well as in chunks, and holds one chunk at least, however large. */
class DiskSpoolBytesTest {

    @TempDir
    Path dir;

    private static Chunk chunk(String id, int bytes) {
        return new Chunk(id, 1, ("{\"packetId\":\"" + id + "\",\"pad\":\"" + "x".repeat(bytes) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_stop_a_peek_before_the_byte_cap_and_go_on_from_there_after_the_acknowledgement() throws Exception {
        try (DiskSpool spool = new DiskSpool("a", dir, 1 << 20)) {
            for (int i = 0; i < 10; i++) {
                spool.append(chunk("p-" + i, 1000)); // 1,026 bytes of JSON each
            }
            assertThat(spool.peek(50, 3500)).extracting(Chunk::chunkId).containsExactly("p-0", "p-1", "p-2");
            spool.acknowledge(3);
            assertThat(spool.peek(2, 1 << 20)).extracting(Chunk::chunkId).containsExactly("p-3", "p-4");
            assertThat(spool.peek(50, 1 << 20)).hasSize(7);
        }
    }

    @Test
    void should_give_one_chunk_larger_than_the_cap_on_its_own() throws Exception {
        try (DiskSpool spool = new DiskSpool("a", dir, 1 << 20)) {
            spool.append(chunk("big", 5000));
            spool.append(chunk("small", 10));
            assertThat(spool.peek(50, 1024)).extracting(Chunk::chunkId).containsExactly("big");
            spool.acknowledge(1);
            assertThat(spool.peek(50, 1024)).extracting(Chunk::chunkId).containsExactly("small");
        }
    }
}
