package dev.logdist.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.model.Chunk;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

    @TempDir
    Path dir;

    private static Chunk chunk(int i) {
        return new Chunk("p-" + i, i % 7 + 1, ("{\"packetId\":\"p-" + i + "\",\"n\":\"" + "x".repeat(i % 50) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_give_back_chunks_oldest_first_and_forget_acknowledged_ones() throws Exception {
        try (DiskSpool spool = new DiskSpool("a", dir, 1 << 20)) {
            for (int i = 0; i < 10; i++) {
                spool.append(chunk(i));
            }
            assertThat(spool.pendingRecords()).isEqualTo(10);
            List<Chunk> first = spool.peek(4);
            assertThat(first).extracting(Chunk::chunkId).containsExactly("p-0", "p-1", "p-2", "p-3");
            assertThat(first.get(3).messages()).isEqualTo(4);
            assertThat(new String(first.get(3).json(), StandardCharsets.UTF_8)).isEqualTo(new String(chunk(3).json(), StandardCharsets.UTF_8));
            spool.acknowledge(3);
            assertThat(spool.peek(2)).extracting(Chunk::chunkId).containsExactly("p-3", "p-4");
            assertThat(spool.pendingRecords()).isEqualTo(7);
        }
    }

    @Test
    void should_survive_a_restart_and_roll_segments() throws Exception {
        try (DiskSpool spool = new DiskSpool("a", dir, 1 << 16)) {
            for (int i = 0; i < 2000; i++) {
                spool.append(chunk(i));
            }
            spool.peek(1500);
            spool.acknowledge(1500);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).as("spent segments deleted").isLessThan(3);
        }
        try (DiskSpool reopened = new DiskSpool("a", dir, 1 << 16)) {
            assertThat(reopened.pendingRecords()).isEqualTo(500);
            assertThat(reopened.peek(1)).extracting(Chunk::chunkId).containsExactly("p-1500");
            reopened.append(chunk(5000));
            List<Chunk> all = reopened.peek(1000);
            assertThat(all).hasSize(501);
            assertThat(all.get(500).chunkId()).isEqualTo("p-5000");
        }
    }

    private Path onlySegment() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
    }

    private void appendFive() throws Exception {
        try (DiskSpool spool = new DiskSpool("a", dir, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                spool.append(chunk(i));
            }
        }
    }

    @Test
    void should_cut_off_a_torn_tail_and_keep_what_came_before() throws Exception {
        appendFive();
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7); // a write cut short by a crash
        }
        try (DiskSpool reopened = new DiskSpool("a", dir, 1 << 20)) {
            assertThat(reopened.pendingRecords()).isEqualTo(4);
            reopened.append(chunk(9));
            assertThat(reopened.peek(10)).extracting(Chunk::chunkId).containsExactly("p-0", "p-1", "p-2", "p-3", "p-9");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.anyMatch(p -> p.getFileName().toString().contains(".corrupt-"))).isTrue();
        }
    }

    @Test
    void should_detect_a_flipped_byte_in_the_middle() throws Exception {
        appendFive();
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(segment, bytes);
        try (DiskSpool reopened = new DiskSpool("a", dir, 1 << 20)) {
            List<Chunk> left = reopened.peek(10);
            assertThat(left).hasSizeLessThan(5).extracting(Chunk::chunkId).allMatch(id -> id.startsWith("p-"));
            assertThat(reopened.pendingRecords()).isEqualTo(left.size());
        }
    }
}
